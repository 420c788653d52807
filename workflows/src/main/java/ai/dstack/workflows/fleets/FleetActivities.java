package ai.dstack.workflows.fleets;

import io.temporal.activity.ActivityInterface;

/**
 * Talks to a fleet workflow on a job workflow's behalf: workflows cannot send Updates to each
 * other, so an activity sends it with a workflow client.
 */
@ActivityInterface
public interface FleetActivities {

  /**
   * Sends {@link FleetWorkflow#requestSlot} to {@code request.fleetWorkflowId()}, with the request
   * id as the update id. Idempotent: the fleet answers a repeated request id with its current
   * ticket.
   */
  SlotTicket requestSlot(SlotRequest request);
}
