package ai.dstack.workflows.agents;

import ai.dstack.core.runs.JobSubmissionRef;
import ai.dstack.workflows.fleets.FleetInstance;

/**
 * A job's task on an instance's shim.
 *
 * @param job the job submission
 * @param instance the instance, with its shim's address
 * @param taskId the shim task id, a {@code Workflow.randomUUID()} per provisioning attempt
 */
public record TaskTarget(JobSubmissionRef job, FleetInstance instance, String taskId) {}
