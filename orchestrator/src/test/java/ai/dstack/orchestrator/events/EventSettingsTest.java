package ai.dstack.orchestrator.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The events' retention is set by dstack's variable, DSTACK_SERVER_EVENTS_TTL_SECONDS. */
class EventSettingsTest {

  @Test
  void dstacksVariableSetsTheRetentionAndZeroTurnsRecordingOff() {
    var environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .addFirst(
            new SystemEnvironmentPropertySource(
                "env", Map.of("DSTACK_SERVER_EVENTS_TTL_SECONDS", "0")));

    var settings =
        new Binder(ConfigurationPropertySources.get(environment))
            .bind("dstack.server", EventSettings.class)
            .get();

    assertEquals(0, settings.eventsTtlSeconds());
    assertFalse(settings.recording());
  }
}
