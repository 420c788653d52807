package ai.dstack.orchestrator.api;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Puts dstack's version check in front of every {@code /api/} call. */
@Configuration(proxyBeanMethods = false)
class ApiWebConfig implements WebMvcConfigurer {

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(new ApiVersionCheck()).addPathPatterns("/api/**");
  }
}
