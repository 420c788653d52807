package ai.dstack.core.runs;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/**
 * Why a run ended, dstack's {@code RunTerminationReason}: it decides the run's final status, the
 * reason its unfinished jobs are stopped with, and the error the user sees.
 */
public enum RunTerminationReason {
  ALL_JOBS_DONE("all_jobs_done", RunStatus.DONE, JobTerminationReason.DONE_BY_RUNNER, null),
  JOB_FAILED("job_failed", RunStatus.FAILED, JobTerminationReason.TERMINATED_BY_SERVER, null),
  RETRY_LIMIT_EXCEEDED(
      "retry_limit_exceeded",
      RunStatus.FAILED,
      JobTerminationReason.TERMINATED_BY_SERVER,
      "retry limit exceeded"),
  STOPPED_BY_USER(
      "stopped_by_user", RunStatus.TERMINATED, JobTerminationReason.TERMINATED_BY_USER, null),
  ABORTED_BY_USER(
      "aborted_by_user", RunStatus.TERMINATED, JobTerminationReason.ABORTED_BY_USER, null),
  SERVER_ERROR(
      "server_error", RunStatus.FAILED, JobTerminationReason.TERMINATED_BY_SERVER, "server error"),
  GATEWAY_ERROR(
      "gateway_error",
      RunStatus.FAILED,
      JobTerminationReason.TERMINATED_BY_SERVER,
      "gateway error");

  private final String value;
  private final RunStatus status;
  private final JobTerminationReason jobReason;
  private final String error;

  RunTerminationReason(
      String value, RunStatus status, JobTerminationReason jobReason, String error) {
    this.value = value;
    this.status = status;
    this.jobReason = jobReason;
    this.error = error;
  }

  /** The JSON value, e.g. {@code stopped_by_user}. */
  @JsonValue
  public String value() {
    return value;
  }

  /** The run's final status once every job has finished. */
  public RunStatus toStatus() {
    return status;
  }

  /** The reason the run's unfinished jobs are stopped with. */
  public JobTerminationReason toJobTerminationReason() {
    return jobReason;
  }

  /** The error dstack shows for this reason, or null. */
  public String toError() {
    return error;
  }

  /** The reason with this JSON value. */
  public static RunTerminationReason of(String value) {
    return Arrays.stream(values())
        .filter(r -> r.value.equals(value))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown run termination reason " + value));
  }
}
