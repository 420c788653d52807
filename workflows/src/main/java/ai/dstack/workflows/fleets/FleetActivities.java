package ai.dstack.workflows.fleets;

import io.temporal.activity.ActivityInterface;

/**
 * Carries the messages between job workflows and their fleet's workflow. Workflows cannot send
 * Updates to each other, and a signal from one workflow to another fails for good when the target
 * is briefly between two runs (continue-as-new) or gone; an activity sends them with a workflow
 * client instead, and its retries ride out the first case while its answer tells the second.
 */
@ActivityInterface
public interface FleetActivities {

  /**
   * Sends {@link FleetWorkflow#requestSlot} to {@code request.fleetWorkflowId()}, with the request
   * id as the update id. Idempotent: the fleet answers a repeated request id with its current
   * ticket.
   */
  SlotTicket requestSlot(SlotRequest request);

  /**
   * Signals a grant to its job workflow. Returns false when that workflow is gone (finished or
   * never existed): the fleet then takes the slot back.
   */
  boolean deliverGrant(SlotDelivery delivery);

  /**
   * Signals {@link FleetWorkflow#release} to the fleet. Fails (and is retried) while the fleet's
   * workflow cannot be found: a fleet is only gone once it has retired and emptied, so a missing
   * fleet is nearly always one between two runs.
   */
  void releaseSlot(SlotReturn slotReturn);
}
