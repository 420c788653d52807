package ai.dstack.workflows.jobs;

import ai.dstack.core.runs.JobTerminationReason;

/**
 * Stop a job submission.
 *
 * @param reason {@code terminated_by_user} and {@code terminated_by_server} stop gracefully within
 *     the job's {@code stop_duration}; {@code aborted_by_user} kills at once
 * @param message why, for people, or null
 */
public record JobStop(JobTerminationReason reason, String message) {

  /** Whether the job is killed without a graceful stop. */
  public boolean abort() {
    return reason == JobTerminationReason.ABORTED_BY_USER;
  }
}
