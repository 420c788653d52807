package ai.dstack.orchestrator.fleets;

import ai.dstack.activities.agents.ShimAddresses;
import ai.dstack.activities.offers.FleetInstancesSource;
import ai.dstack.workflows.fleets.FleetInstance;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The instances of the server's fleets, for offer matching: the local fleet's one instance, in
 * every project (the host serves them all); no other fleet has instances yet. Also where their
 * shims listen now, for the kills and removals of tasks placed before a shim restarted.
 */
@Component
class ServerFleetInstances implements FleetInstancesSource, ShimAddresses {

  // Looked up when asked: the offer activities take this port, the workers take every activity,
  // and the local fleet takes the workers (it starts after them), so a direct reference would be
  // a cycle.
  private final ObjectProvider<LocalFleet> localFleet;

  ServerFleetInstances(ObjectProvider<LocalFleet> localFleet) {
    this.localFleet = localFleet;
  }

  @Override
  public List<FleetInstance> instances(String project, String fleetName) {
    var fleet = localFleet.getIfAvailable();
    if (fleet != null && LocalFleet.NAME.equals(fleetName)) {
      return fleet.instance().map(List::of).orElse(List.of());
    }
    return List.of();
  }

  @Override
  public FleetInstance current(FleetInstance instance) {
    var fleet = localFleet.getIfAvailable();
    if (fleet == null) {
      return instance;
    }
    return fleet
        .instance()
        .filter(local -> local.instanceId().equals(instance.instanceId()))
        .orElse(instance);
  }
}
