package ai.dstack.core.runs;

/**
 * The latest submission of one job, as the run status rule reads it.
 *
 * @param replicaNum the job's replica
 * @param jobNum the job's number within its replica
 * @param status the submission's status
 * @param terminationReason why it ended or is ending, or null
 * @param retryVerdict what its ending means for retrying ({@link RetryVerdict#decide}); read only
 *     for submissions that failed or were stopped by something other than the run
 */
public record JobSnapshot(
    int replicaNum,
    int jobNum,
    JobStatus status,
    JobTerminationReason terminationReason,
    RetryVerdict retryVerdict) {

  public JobSnapshot {
    if (status == null) {
      throw new IllegalArgumentException("a job snapshot needs a status");
    }
  }
}
