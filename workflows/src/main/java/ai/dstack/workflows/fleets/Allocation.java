package ai.dstack.workflows.fleets;

import ai.dstack.core.runs.InstanceOffer;
import ai.dstack.core.runs.JobSubmissionRef;
import java.time.Instant;

/**
 * A granted slot: blocks of one instance held for one job submission until it releases them.
 *
 * @param requestId the request that got it
 * @param jobWorkflowId the job workflow holding it
 * @param job the job submission
 * @param offer the offer granted (its instance and blocks)
 * @param grantedAt when it was granted
 */
public record Allocation(
    String requestId,
    String jobWorkflowId,
    JobSubmissionRef job,
    InstanceOffer offer,
    Instant grantedAt) {}
