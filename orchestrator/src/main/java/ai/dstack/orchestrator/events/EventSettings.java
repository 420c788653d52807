package ai.dstack.orchestrator.events;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How long events are kept.
 *
 * @param eventsTtlSeconds {@code DSTACK_SERVER_EVENTS_TTL_SECONDS}: events older than this are
 *     deleted (default 30 days, as dstack's); 0 or less records none
 */
@ConfigurationProperties("dstack.server")
record EventSettings(long eventsTtlSeconds) {

  /** Whether events are recorded at all. */
  boolean recording() {
    return eventsTtlSeconds > 0;
  }
}
