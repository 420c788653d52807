package ai.dstack.orchestrator.fleets;

import ai.dstack.orchestrator.server.ServerSettings;
import ai.dstack.orchestrator.temporal.TemporalSettings;
import ai.dstack.orchestrator.temporal.TemporalWorkers;
import ai.dstack.workflows.fleets.FleetClientActivities;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The local fleet, and the fleet activities the workers host. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LocalFleetSettings.class)
class FleetsConfig {

  /** The property of {@code DSTACK_LOCAL_FLEET}. */
  static final String SWITCH = "dstack.local-fleet";

  /** Carries slot requests, grants and releases between job workflows and fleet workflows. */
  @Bean
  FleetClientActivities fleetClientActivities(WorkflowClient client) {
    return new FleetClientActivities(client);
  }

  /**
   * The local fleet; it takes the workers so that it starts after them (it queries its workflow)
   * and stops before them. The workers take every activity bean when they are made, so no activity
   * may take the local fleet directly (that is a cycle): {@link ServerFleetInstances} looks it up.
   */
  @Bean
  LocalFleet localFleet(
      Environment environment,
      LocalFleetSettings settings,
      ServerSettings server,
      TemporalSettings temporal,
      TemporalWorkers workers,
      WorkflowClient client,
      FleetRepository fleets,
      FleetRecords records,
      Clock clock) {
    var setting = LocalFleetSettings.Switch.parse(environment.getProperty(SWITCH));
    String off = null;
    if (!setting.on(temporal.external())) {
      off =
          setting == LocalFleetSettings.Switch.OFF
              ? "DSTACK_LOCAL_FLEET=false"
              : "an existing Temporal cluster is used; DSTACK_LOCAL_FLEET=true turns it on";
    }
    return new LocalFleet(
        off, settings, server.dir().resolve("local-shim"), client, fleets, records, clock);
  }
}
