package ai.dstack.workflows.fleets;

/**
 * A slot (or a place in the queue) on its way back from a job workflow to its fleet.
 *
 * @param fleetWorkflowId the fleet's workflow
 * @param release the request id given back, and why
 */
public record SlotReturn(String fleetWorkflowId, SlotRelease release) {}
