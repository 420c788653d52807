package ai.dstack.activities.agents;

import ai.dstack.workflows.fleets.FleetInstance;

/**
 * Where an instance's shim listens now. A task keeps the address its shim had when the task was
 * placed; a shim restarted since (it died and its port was taken) listens elsewhere, and killing or
 * removing the task there must not retry the old address until the cleanup gives up (holding the
 * job's slot in its fleet all that time).
 */
@FunctionalInterface
public interface ShimAddresses {

  /** The addresses as placed: for agents that never move. */
  ShimAddresses AS_PLACED = instance -> instance;

  /**
   * {@code instance} as its fleet knows it now; {@code instance} itself when the fleet does not.
   */
  FleetInstance current(FleetInstance instance);
}
