package ai.dstack.workflows.jobs;

import ai.dstack.core.runs.InstanceOffer;
import ai.dstack.core.runs.JobStatus;
import ai.dstack.core.runs.JobSubmissionRef;
import ai.dstack.core.runs.JobTerminationReason;
import ai.dstack.core.runs.ProvisioningAttempt;
import java.util.List;

/**
 * A job submission's live state, for {@code runs/get} and operators.
 *
 * @param job the submission
 * @param status its status
 * @param statusMessage dstack's status message
 * @param terminationReason why it ends or ended, or null
 * @param terminationMessage what went wrong, for people, or null
 * @param exitStatus its process's exit status, or null
 * @param offer where it runs, or null while it waits
 * @param attempts its provisioning attempts, with their reasons
 * @param waitingFor what it waits for now, in words (e.g. a slot in its fleet), or null
 * @param fleetWorkflowId its fleet's workflow, whose {@code view} query has the live queue position
 * @param queuePosition its position in the fleet's queue when it was queued, 0 when not queued
 */
public record JobDetail(
    JobSubmissionRef job,
    JobStatus status,
    String statusMessage,
    JobTerminationReason terminationReason,
    String terminationMessage,
    Integer exitStatus,
    InstanceOffer offer,
    List<ProvisioningAttempt> attempts,
    String waitingFor,
    String fleetWorkflowId,
    int queuePosition) {

  public JobDetail {
    attempts = List.copyOf(attempts);
  }
}
