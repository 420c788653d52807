package ai.dstack.workflows.fleets;

import java.util.List;

/**
 * What a fleet workflow starts with, and carries across continue-as-new.
 *
 * @param project the fleet's project
 * @param fleetName the fleet's name
 * @param instances its instances
 * @param state the queue and allocations carried over, or null on the first start
 * @param historyLimit continue-as-new after this many history events even if the server has not
 *     suggested it yet; 0 for {@link #DEFAULT_HISTORY_LIMIT}
 */
public record FleetInput(
    String project,
    String fleetName,
    List<FleetInstance> instances,
    FleetState state,
    int historyLimit) {

  /** Well below Temporal's limits, so replays stay fast. */
  public static final int DEFAULT_HISTORY_LIMIT = 10_000;

  public FleetInput {
    instances = List.copyOf(instances);
  }

  /** The same fleet with these instances. */
  public FleetInput withInstances(List<FleetInstance> next) {
    return new FleetInput(project, fleetName, next, state, historyLimit);
  }

  /** The same fleet carrying {@code next} into its next run. */
  public FleetInput carrying(FleetState next) {
    return new FleetInput(project, fleetName, instances, next, historyLimit);
  }
}
