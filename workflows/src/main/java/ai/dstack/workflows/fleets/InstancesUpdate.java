package ai.dstack.workflows.fleets;

import java.util.List;

/**
 * A fleet's instances as they are now, replacing those it has: the same instances reached at a new
 * address (the local shim restarted on another port), resized, or added and removed.
 *
 * @param instances every instance of the fleet
 * @param reason why, for the fleet's log
 */
public record InstancesUpdate(List<FleetInstance> instances, String reason) {

  public InstancesUpdate {
    instances = List.copyOf(instances);
  }
}
