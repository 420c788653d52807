package ai.dstack.workflows.fleets;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One per fleet ({@code fleet/<project>/<name>}): owns its instances and the queue of job
 * submissions waiting for capacity, ordered by priority (higher first), then the run's submission
 * time, then arrival. Grants slots in that order as capacity frees; the head of the queue is never
 * overtaken, so a large job is not starved by small ones. Continues as new when the server suggests
 * it, carrying the queue and the allocations.
 */
@WorkflowInterface
public interface FleetWorkflow {

  /** Runs until the fleet is retired and empty. */
  @WorkflowMethod
  FleetResult run(FleetInput input);

  /**
   * Asks for a slot: granted at once when the fleet has room and nobody is ahead, else queued (the
   * grant is signalled later), or rejected when no instance of the fleet can ever hold it.
   */
  @UpdateMethod
  SlotTicket requestSlot(SlotRequest request);

  /** Rejects malformed requests before they enter the history. */
  @UpdateValidatorMethod(updateName = "requestSlot")
  void validateSlotRequest(SlotRequest request);

  /** Gives back a granted slot, or leaves the queue. Unknown request ids are remembered. */
  @SignalMethod
  void release(SlotRelease release);

  /**
   * Replaces the fleet's instances, keeping its queue and its granted slots (a slot on an instance
   * that is gone stays until its job releases it); waiting requests that now fit are granted.
   */
  @SignalMethod
  void updateInstances(InstancesUpdate update);

  /** Takes no new requests, and ends once the queue and the slots are empty. */
  @SignalMethod
  void retire(FleetRetirement retirement);

  /** The instances' use, the queue with positions, and the granted slots. */
  @QueryMethod
  FleetView view();
}
