package ai.dstack.core.runs;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** The status of one submission of a job, dstack's {@code JobStatus}. */
public enum JobStatus {
  /** Waiting for an instance (in its fleet's queue). */
  SUBMITTED("submitted"),
  /** An instance is granted; the shim is starting the job's container. */
  PROVISIONING("provisioning"),
  /** The container is being created (its image pulled) and the runner started. */
  PULLING("pulling"),
  /** The runner runs the job's commands. */
  RUNNING("running"),
  /** Being stopped; the termination reason says why. */
  TERMINATING("terminating"),
  /** Stopped: by the user, the server, or its {@code max_duration}. */
  TERMINATED("terminated"),
  /** Aborted by the user: killed without a graceful stop. */
  ABORTED("aborted"),
  /** Failed: a non-zero exit, no capacity, or an error around it. */
  FAILED("failed"),
  /** Exited with status 0. */
  DONE("done");

  private final String value;

  JobStatus(String value) {
    this.value = value;
  }

  /** The JSON value, e.g. {@code pulling}. */
  @JsonValue
  public String value() {
    return value;
  }

  /** Whether the submission is over: terminated, aborted, failed or done. */
  public boolean isFinished() {
    return this == TERMINATED || this == ABORTED || this == FAILED || this == DONE;
  }

  /**
   * The status message dstack shows for a submission in this status: {@code exited (N)}, {@code no
   * capacity}, {@code no fleets}, {@code interrupted}, {@code error}, {@code stopped}, {@code
   * aborted}, or the status itself.
   *
   * @param reason the termination reason, or null
   * @param reasonMessage the termination reason's message, or null
   * @param exitStatus the exit status of the job's process, or null
   */
  public String statusMessage(
      JobTerminationReason reason, String reasonMessage, Integer exitStatus) {
    return switch (this) {
      case DONE -> "exited (0)";
      case FAILED -> {
        if (reason == JobTerminationReason.CONTAINER_EXITED_WITH_ERROR) {
          yield "exited (" + exitStatus + ")";
        }
        if (reason == JobTerminationReason.FAILED_TO_START_DUE_TO_NO_CAPACITY) {
          yield reasonMessage != null && reasonMessage.contains("No matching fleet found")
              ? "no fleets"
              : "no capacity";
        }
        if (reason == JobTerminationReason.INTERRUPTED_BY_NO_CAPACITY) {
          yield "interrupted";
        }
        yield "error";
      }
      case TERMINATED -> {
        if (reason == JobTerminationReason.TERMINATED_BY_USER) {
          yield "stopped";
        }
        if (reason == JobTerminationReason.ABORTED_BY_USER) {
          yield "aborted";
        }
        yield value;
      }
      default -> value;
    };
  }

  /** The status with this JSON value. */
  public static JobStatus of(String value) {
    return Arrays.stream(values())
        .filter(s -> s.value.equals(value))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown job status " + value));
  }
}
