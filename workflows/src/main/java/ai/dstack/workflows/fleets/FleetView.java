package ai.dstack.workflows.fleets;

import ai.dstack.core.runs.JobSubmissionRef;
import java.time.Instant;
import java.util.List;

/**
 * A fleet's live state, for the API and operators: its instances' use, its queue with positions,
 * and its granted slots.
 *
 * @param fleetName the fleet
 * @param instances each instance with its busy blocks
 * @param queue the waiting requests, position 1 first
 * @param allocations the granted slots
 * @param retiring whether it takes no new requests
 */
public record FleetView(
    String fleetName,
    List<InstanceUse> instances,
    List<QueueEntry> queue,
    List<Allocation> allocations,
    boolean retiring) {

  /**
   * One instance and its busy blocks.
   *
   * @param instance the instance
   * @param busyBlocks blocks granted to jobs
   */
  public record InstanceUse(FleetInstance instance, int busyBlocks) {}

  /**
   * One waiting request.
   *
   * @param position 1-based place in the queue
   * @param requestId the request
   * @param jobWorkflowId the job workflow waiting
   * @param job the job submission
   * @param priority its priority
   * @param submittedAt its run's submission time
   */
  public record QueueEntry(
      int position,
      String requestId,
      String jobWorkflowId,
      JobSubmissionRef job,
      int priority,
      Instant submittedAt) {}

  public FleetView {
    instances = List.copyOf(instances);
    queue = List.copyOf(queue);
    allocations = List.copyOf(allocations);
  }
}
