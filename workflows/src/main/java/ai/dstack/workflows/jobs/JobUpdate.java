package ai.dstack.workflows.jobs;

import ai.dstack.core.runs.InstanceOffer;
import ai.dstack.core.runs.JobStatus;
import ai.dstack.core.runs.JobSubmissionRef;
import ai.dstack.core.runs.JobTerminationReason;
import ai.dstack.core.runs.ProvisioningAttempt;
import java.util.List;

/**
 * A job submission's change, signalled to its run workflow ({@link #SIGNAL}) so the run's status
 * follows its jobs'.
 *
 * @param job the submission
 * @param sequence grows with each update of the submission; older ones are ignored
 * @param status its status
 * @param terminationReason why it ends, or null
 * @param terminationMessage what went wrong, for people, or null
 * @param exitStatus its process's exit status, or null
 * @param offer where it runs, or null while it waits
 * @param attempts its provisioning attempts so far
 */
public record JobUpdate(
    JobSubmissionRef job,
    long sequence,
    JobStatus status,
    JobTerminationReason terminationReason,
    String terminationMessage,
    Integer exitStatus,
    InstanceOffer offer,
    List<ProvisioningAttempt> attempts) {

  /** The run workflow's signal that receives updates. */
  public static final String SIGNAL = "jobChanged";

  public JobUpdate {
    attempts = List.copyOf(attempts);
  }
}
