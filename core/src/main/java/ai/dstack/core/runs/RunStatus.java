package ai.dstack.core.runs;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** A run's status, dstack's {@code RunStatus}. */
public enum RunStatus {
  /** Waiting to be (re)submitted: after a retryable failure, before its backoff elapses. */
  PENDING("pending"),
  /** Submitted; its jobs wait for an instance. */
  SUBMITTED("submitted"),
  /** A job got an instance and is being set up on it. */
  PROVISIONING("provisioning"),
  /** A job runs. */
  RUNNING("running"),
  /** Its jobs are being stopped; the termination reason says why. */
  TERMINATING("terminating"),
  /** Stopped or aborted. */
  TERMINATED("terminated"),
  /** A job failed, or retrying gave up. */
  FAILED("failed"),
  /** Every job exited with status 0. */
  DONE("done");

  private final String value;

  RunStatus(String value) {
    this.value = value;
  }

  /** The JSON value, e.g. {@code running}. */
  @JsonValue
  public String value() {
    return value;
  }

  /** Whether the run is over: terminated, failed or done. */
  public boolean isFinished() {
    return this == TERMINATED || this == FAILED || this == DONE;
  }

  /**
   * The status message dstack shows beside the status: {@code pulling} while every job pulls its
   * image, {@code retrying} while a submitted or pending run waits after a no-capacity failure it
   * retries on, else the status itself.
   *
   * @param allJobsPulling whether the latest submission of every job is {@link JobStatus#PULLING}
   * @param retryingAfterNoCapacity whether some job's last termination reason is {@link
   *     JobTerminationReason#FAILED_TO_START_DUE_TO_NO_CAPACITY} and its retry policy covers {@link
   *     RetryEvent#NO_CAPACITY}
   */
  public String statusMessage(boolean allJobsPulling, boolean retryingAfterNoCapacity) {
    if (allJobsPulling) {
      return "pulling";
    }
    if ((this == SUBMITTED || this == PENDING) && retryingAfterNoCapacity) {
      return "retrying";
    }
    return value;
  }

  /** The status with this JSON value. */
  public static RunStatus of(String value) {
    return Arrays.stream(values())
        .filter(s -> s.value.equals(value))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown run status " + value));
  }
}
