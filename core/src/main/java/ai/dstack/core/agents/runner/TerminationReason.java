package ai.dstack.core.agents.runner;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why a job ended, as a runner reports it: the runner's part of dstack's JobTerminationReason. */
public enum TerminationReason {
  /** The job exited with status 0. */
  DONE_BY_RUNNER("done_by_runner"),
  /** The job exited with a non-zero status, or its repo could not be set up. */
  CONTAINER_EXITED_WITH_ERROR("container_exited_with_error"),
  /** The job ran longer than its {@code max_duration}. */
  MAX_DURATION_EXCEEDED("max_duration_exceeded"),
  /** The runner could not start the job: no such user, command or working dir, or bad files. */
  EXECUTOR_ERROR("executor_error"),
  /** The job printed more than its hourly log quota. */
  LOG_QUOTA_EXCEEDED("log_quota_exceeded"),
  /** The job was stopped through {@link RunnerApi#STOP}. */
  TERMINATED_BY_USER("terminated_by_user"),
  /** The server terminated the job. */
  TERMINATED_BY_SERVER("terminated_by_server"),
  /** The shim could not create the job's container. */
  CREATING_CONTAINER_ERROR("creating_container_error");

  private final String wireValue;

  TerminationReason(String wireValue) {
    this.wireValue = wireValue;
  }

  /** The JSON value, dstack's {@code JobTerminationReason} value. */
  @JsonValue
  public String wireValue() {
    return wireValue;
  }
}
