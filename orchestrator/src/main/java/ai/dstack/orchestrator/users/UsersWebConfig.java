package ai.dstack.orchestrator.users;

import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Lets controller methods take the {@link ai.dstack.orchestrator.auth.Caller}. */
@Configuration(proxyBeanMethods = false)
class UsersWebConfig implements WebMvcConfigurer {

  private final UserRepository users;

  UsersWebConfig(UserRepository users) {
    this.users = users;
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(new CallerResolver(users));
  }
}
