package ai.dstack.workflows.projections;

import ai.dstack.core.runs.InstanceOffer;
import ai.dstack.core.runs.JobStatus;
import ai.dstack.core.runs.JobSubmissionRef;
import ai.dstack.core.runs.JobTerminationReason;
import ai.dstack.core.runs.ProvisioningAttempt;
import java.time.Instant;
import java.util.List;

/**
 * A job submission's row: what {@code runs/get} shows of it.
 *
 * @param job the submission
 * @param sequence grows with each write of this submission's workflow
 * @param status its status
 * @param statusMessage dstack's status message, e.g. {@code exited (1)}
 * @param terminationReason why it ended or is ending, or null
 * @param terminationMessage what went wrong, for people, or null
 * @param exitStatus its process's exit status, or null
 * @param offer where it runs (its job provisioning data), or null while it waits
 * @param hostname the instance's address, or null
 * @param attempts every provisioning attempt, in order, with its reason
 * @param waitingFor what it waits for now, e.g. a fleet slot, or null
 * @param queueNumber while it waits in its fleet's queue, its request's arrival number there: the
 *     fleet's order among requests of equal priority and run submission time; else null
 * @param submittedAt when the submission was made
 * @param finishedAt when it finished, or null
 */
public record JobRecord(
    JobSubmissionRef job,
    long sequence,
    JobStatus status,
    String statusMessage,
    JobTerminationReason terminationReason,
    String terminationMessage,
    Integer exitStatus,
    InstanceOffer offer,
    String hostname,
    List<ProvisioningAttempt> attempts,
    String waitingFor,
    Long queueNumber,
    Instant submittedAt,
    Instant finishedAt) {

  public JobRecord {
    attempts = List.copyOf(attempts);
  }
}
