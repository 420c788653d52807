package ai.dstack.workflows.runs;

import ai.dstack.core.runs.InstanceOffer;
import ai.dstack.core.runs.JobStatus;
import ai.dstack.core.runs.JobSubmissionRef;
import ai.dstack.core.runs.JobTerminationReason;
import ai.dstack.core.runs.ProvisioningAttempt;
import ai.dstack.core.runs.RunStatus;
import ai.dstack.core.runs.RunTerminationReason;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A run's live state, for {@code runs/get} and operators.
 *
 * @param runId the run
 * @param project its project
 * @param runName its name
 * @param user who submitted it
 * @param status its status
 * @param statusMessage dstack's status message ({@code retrying}, {@code pulling}, or the status)
 * @param terminationReason why it ends or ended, or null
 * @param error the reason's error, or null
 * @param resubmissionAttempt how many times in a row it has gone pending to be resubmitted
 * @param nextResubmissionAt when a pending run is resubmitted, else null
 * @param submissions every job submission, in the order they were made
 */
public record RunDetail(
    UUID runId,
    String project,
    String runName,
    String user,
    RunStatus status,
    String statusMessage,
    RunTerminationReason terminationReason,
    String error,
    int resubmissionAttempt,
    Instant nextResubmissionAt,
    List<Submission> submissions) {

  /**
   * One job submission.
   *
   * @param job its ids
   * @param workflowId its job workflow, whose {@code detail} query tells what it waits for
   * @param status its status
   * @param statusMessage dstack's status message, e.g. {@code exited (1)}
   * @param terminationReason why it ended, or null
   * @param terminationMessage what went wrong, for people, or null
   * @param exitStatus its process's exit status, or null
   * @param offer where it runs or ran, or null
   * @param attempts its provisioning attempts, with their reasons
   */
  public record Submission(
      JobSubmissionRef job,
      String workflowId,
      JobStatus status,
      String statusMessage,
      JobTerminationReason terminationReason,
      String terminationMessage,
      Integer exitStatus,
      InstanceOffer offer,
      List<ProvisioningAttempt> attempts) {

    public Submission {
      attempts = List.copyOf(attempts);
    }
  }

  public RunDetail {
    submissions = List.copyOf(submissions);
  }
}
