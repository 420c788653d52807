package ai.dstack.orchestrator.runs;

import java.time.Instant;
import java.util.UUID;

/**
 * A job submission as its workflow projected it.
 *
 * @param id the submission's id
 * @param runId its run
 * @param replicaNum its replica
 * @param jobNum its job within the replica
 * @param submissionNum its number among the job's submissions
 * @param status its status ({@code JobStatus} value)
 * @param statusMessage dstack's status message
 * @param terminationReason its termination reason value, or null
 * @param terminationMessage what went wrong, or null
 * @param exitStatus its exit status, or null
 * @param offer the offer it runs on (JSON), or null
 * @param hostname its instance's address, or null
 * @param attempts its provisioning attempts (JSON)
 * @param waitingFor what it waits for, or null
 * @param submittedAt when it was submitted
 * @param finishedAt when it finished, or null
 */
record SubmissionRow(
    UUID id,
    UUID runId,
    int replicaNum,
    int jobNum,
    int submissionNum,
    String status,
    String statusMessage,
    String terminationReason,
    String terminationMessage,
    Integer exitStatus,
    String offer,
    String hostname,
    String attempts,
    String waitingFor,
    Instant submittedAt,
    Instant finishedAt) {

  /** Whether the submission waits in a fleet's queue (its job workflow projected so). */
  boolean queued() {
    return "submitted".equals(status)
        && waitingFor != null
        && waitingFor.startsWith(RunStore.QUEUED_PREFIX)
        && waitingFor.contains(RunStore.QUEUED_MARK);
  }
}
