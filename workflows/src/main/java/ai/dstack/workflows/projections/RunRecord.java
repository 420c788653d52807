package ai.dstack.workflows.projections;

import ai.dstack.core.runs.RunStatus;
import ai.dstack.core.runs.RunTerminationReason;
import java.time.Instant;
import java.util.UUID;

/**
 * A run's row.
 *
 * @param runId the run
 * @param project its project
 * @param runName its name
 * @param sequence grows with each write of this run's workflow
 * @param status its status
 * @param statusMessage dstack's status message ({@code retrying}, {@code pulling}, or the status)
 * @param terminationReason why it ended or is ending, or null
 * @param error the termination reason's error, or null
 * @param resubmissionAttempt how many times it has gone pending to be resubmitted in a row
 * @param updatedAt the workflow time of the change
 * @param actorUserId the user whose request made this change (a stop), or null when the run changed
 *     by itself; the actor of the change's event
 */
public record RunRecord(
    UUID runId,
    String project,
    String runName,
    long sequence,
    RunStatus status,
    String statusMessage,
    RunTerminationReason terminationReason,
    String error,
    int resubmissionAttempt,
    Instant updatedAt,
    UUID actorUserId) {

  /** A change the run made by itself. */
  public RunRecord(
      UUID runId,
      String project,
      String runName,
      long sequence,
      RunStatus status,
      String statusMessage,
      RunTerminationReason terminationReason,
      String error,
      int resubmissionAttempt,
      Instant updatedAt) {
    this(
        runId,
        project,
        runName,
        sequence,
        status,
        statusMessage,
        terminationReason,
        error,
        resubmissionAttempt,
        updatedAt,
        null);
  }
}
