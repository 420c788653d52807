package ai.dstack.core.runs;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/**
 * Why a job submission ended, dstack's {@code JobTerminationReason}: set by the server, or reported
 * by the runner. Each reason decides the submission's final status, whether a retry policy covers
 * it, and the error the user sees.
 */
public enum JobTerminationReason {
  // Set by the server
  FAILED_TO_START_DUE_TO_NO_CAPACITY("failed_to_start_due_to_no_capacity", JobStatus.FAILED, null),
  INTERRUPTED_BY_NO_CAPACITY("interrupted_by_no_capacity", JobStatus.FAILED, null),
  INSTANCE_UNREACHABLE("instance_unreachable", JobStatus.FAILED, "instance unreachable"),
  INSTANCE_ACCESS_REVOKED("instance_access_revoked", JobStatus.FAILED, "instance access revoked"),
  WAITING_INSTANCE_LIMIT_EXCEEDED(
      "waiting_instance_limit_exceeded", JobStatus.FAILED, "waiting instance limit exceeded"),
  WAITING_RUNNER_LIMIT_EXCEEDED(
      "waiting_runner_limit_exceeded", JobStatus.FAILED, "waiting runner limit exceeded"),
  TERMINATED_BY_USER("terminated_by_user", JobStatus.TERMINATED, null),
  VOLUME_ERROR("volume_error", JobStatus.FAILED, "volume error"),
  GATEWAY_ERROR("gateway_error", JobStatus.FAILED, "gateway error"),
  SCALED_DOWN("scaled_down", JobStatus.TERMINATED, "scaled down"),
  DONE_BY_RUNNER("done_by_runner", JobStatus.DONE, null),
  ABORTED_BY_USER("aborted_by_user", JobStatus.ABORTED, null),
  TERMINATED_BY_SERVER("terminated_by_server", JobStatus.TERMINATED, null),
  INACTIVITY_DURATION_EXCEEDED(
      "inactivity_duration_exceeded", JobStatus.TERMINATED, "inactivity duration exceeded"),
  TERMINATED_DUE_TO_UTILIZATION_POLICY(
      "terminated_due_to_utilization_policy", JobStatus.TERMINATED, "utilization policy"),
  // Set by the runner
  CONTAINER_EXITED_WITH_ERROR("container_exited_with_error", JobStatus.FAILED, null),
  PORTS_BINDING_FAILED("ports_binding_failed", JobStatus.FAILED, "ports binding failed"),
  CREATING_CONTAINER_ERROR("creating_container_error", JobStatus.FAILED, "runner error"),
  EXECUTOR_ERROR("executor_error", JobStatus.FAILED, "executor error"),
  MAX_DURATION_EXCEEDED("max_duration_exceeded", JobStatus.TERMINATED, "max duration exceeded"),
  LOG_QUOTA_EXCEEDED("log_quota_exceeded", JobStatus.FAILED, "log quota exceeded");

  private final String value;
  private final JobStatus status;
  private final String error;

  JobTerminationReason(String value, JobStatus status, String error) {
    this.value = value;
    this.status = status;
    this.error = error;
  }

  /** The JSON value, e.g. {@code container_exited_with_error}. */
  @JsonValue
  public String value() {
    return value;
  }

  /** The final status of a submission that ended for this reason. */
  public JobStatus toStatus() {
    return status;
  }

  /**
   * The retry event this reason counts as: no-capacity and interruption for their two reasons,
   * error for any other reason that fails the job, and null for reasons never retried (stops,
   * aborts, {@code max_duration}, done).
   */
  public RetryEvent toRetryEvent() {
    return switch (this) {
      case FAILED_TO_START_DUE_TO_NO_CAPACITY -> RetryEvent.NO_CAPACITY;
      case INTERRUPTED_BY_NO_CAPACITY -> RetryEvent.INTERRUPTION;
      default -> status == JobStatus.FAILED ? RetryEvent.ERROR : null;
    };
  }

  /**
   * The error dstack shows for this reason, or null where the status message already says it (an
   * exit status, no capacity, a stop).
   */
  public String toError() {
    return error;
  }

  /** The reason with this JSON value. */
  public static JobTerminationReason of(String value) {
    return Arrays.stream(values())
        .filter(r -> r.value.equals(value))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown job termination reason " + value));
  }
}
