package ai.dstack.workflows.fleets;

import java.util.List;

/**
 * What a fleet workflow carries into its next run on continue-as-new.
 *
 * @param queue the waiting requests, in grant order
 * @param allocations the granted slots
 * @param released the most recent released request ids, so a late retry of a request cannot take a
 *     slot its job has given up
 * @param nextQueueNumber the number the next queued request gets (ties of priority and time)
 * @param sequence the projection sequence
 * @param retiring whether the fleet takes no new requests
 */
public record FleetState(
    List<QueuedRequest> queue,
    List<Allocation> allocations,
    List<String> released,
    long nextQueueNumber,
    long sequence,
    boolean retiring) {

  public FleetState {
    queue = List.copyOf(queue);
    allocations = List.copyOf(allocations);
    released = List.copyOf(released);
  }
}
