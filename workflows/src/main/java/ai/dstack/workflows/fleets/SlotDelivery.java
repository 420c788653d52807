package ai.dstack.workflows.fleets;

/**
 * A grant on its way from a fleet to the job workflow that asked for it.
 *
 * @param jobWorkflowId the job workflow
 * @param grant the slot granted
 */
public record SlotDelivery(String jobWorkflowId, SlotGrant grant) {}
