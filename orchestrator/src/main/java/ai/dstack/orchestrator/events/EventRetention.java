package ai.dstack.orchestrator.events;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Deletes events older than {@code DSTACK_SERVER_EVENTS_TTL_SECONDS}, every hour (each replica of
 * the server does; the deletes are the same). Turns on Spring's scheduling for the server, which
 * the other retention tasks use too.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(EventSettings.class)
class EventRetention {
  private static final Logger log = LoggerFactory.getLogger(EventRetention.class);

  private final EventStore store;
  private final EventSettings settings;
  private final Clock clock;

  EventRetention(EventStore store, EventSettings settings, Clock clock) {
    this.store = store;
    this.settings = settings;
    this.clock = clock;
  }

  @Scheduled(initialDelay = 1, fixedDelay = 3600, timeUnit = TimeUnit.SECONDS)
  void deleteExpired() {
    if (!settings.recording()) {
      return;
    }
    try {
      int deleted =
          store.deleteRecordedBefore(
              clock.instant().minus(Duration.ofSeconds(settings.eventsTtlSeconds())));
      if (deleted > 0) {
        log.debug("Deleted {} events older than {} s", deleted, settings.eventsTtlSeconds());
      }
    } catch (DataAccessException e) {
      log.warn("Cannot delete expired events: {}", e.getMessage());
    }
  }
}
