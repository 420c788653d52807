package ai.dstack.orchestrator.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The samples' pace and retention are set by variables named like dstack's. */
class JobMetricsSettingsTest {

  @Test
  void dstacksVariablesSetTheRetentionAndOursThePace() {
    var environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .addFirst(
            new SystemEnvironmentPropertySource(
                "env",
                Map.of(
                    "DSTACK_SERVER_METRICS_RUNNING_TTL_SECONDS", "60",
                    "DSTACK_SERVER_METRICS_FINISHED_TTL_SECONDS", "120",
                    "DSTACK_SERVER_METRICS_COLLECT_INTERVAL", "2s")));

    var settings =
        new Binder(ConfigurationPropertySources.get(environment))
            .bind("dstack.server", JobMetricsSettings.class)
            .get();

    assertEquals(new JobMetricsSettings(Duration.ofSeconds(2), 60, 120), settings);
  }
}
