package ai.dstack.workflows.jobs;

import ai.dstack.core.runs.InstanceOffer;
import ai.dstack.core.runs.JobStatus;
import ai.dstack.core.runs.JobSubmissionRef;
import ai.dstack.core.runs.JobTerminationReason;
import ai.dstack.core.runs.ProvisioningAttempt;
import java.time.Instant;
import java.util.List;

/**
 * How a job submission ended.
 *
 * @param job the submission
 * @param status its final status
 * @param terminationReason why it ended
 * @param terminationMessage what went wrong, for people, or null
 * @param exitStatus its process's exit status, or null
 * @param provisioned whether it got an instance (dstack's job provisioning data was set): a retry
 *     after it counts from {@code finishedAt}
 * @param offer where it ran, or null
 * @param attempts every provisioning attempt, with its reason
 * @param finishedAt when it ended
 */
public record JobResult(
    JobSubmissionRef job,
    JobStatus status,
    JobTerminationReason terminationReason,
    String terminationMessage,
    Integer exitStatus,
    boolean provisioned,
    InstanceOffer offer,
    List<ProvisioningAttempt> attempts,
    Instant finishedAt) {

  public JobResult {
    attempts = List.copyOf(attempts);
  }

  /** dstack's status message, e.g. {@code exited (1)}. */
  public String statusMessage() {
    return status.statusMessage(terminationReason, terminationMessage, exitStatus);
  }
}
