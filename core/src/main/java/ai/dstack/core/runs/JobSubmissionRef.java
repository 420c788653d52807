package ai.dstack.core.runs;

import java.util.UUID;

/**
 * Names one submission of one job of a run: what activities need to find its spec, code, logs and
 * database rows.
 *
 * @param project the project's name
 * @param runName the run's name
 * @param runId the run's id
 * @param jobName the job's name, e.g. {@code my-task-0-0}
 * @param replicaNum the job's replica
 * @param jobNum the job's number within its replica
 * @param submissionNum 0 for the first submission, one more for each resubmission
 * @param submissionId the submission's id (dstack's job id)
 */
public record JobSubmissionRef(
    String project,
    String runName,
    UUID runId,
    String jobName,
    int replicaNum,
    int jobNum,
    int submissionNum,
    UUID submissionId) {

  /** e.g. {@code my-task/0/0#1}, for messages and logs. */
  public String describe() {
    return runName + "/" + replicaNum + "/" + jobNum + "#" + submissionNum;
  }
}
