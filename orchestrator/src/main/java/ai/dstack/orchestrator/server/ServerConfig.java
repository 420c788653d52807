package ai.dstack.orchestrator.server;

import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What every feature shares: the settings and the clock. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ServerSettings.class)
class ServerConfig {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
