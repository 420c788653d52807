package ai.dstack.core.agents.runner;

import com.fasterxml.jackson.annotation.JsonValue;

/** The states a runner reports for its job: the runner's part of dstack's {@code JobStatus}. */
public enum JobState {
  /** The job's process runs. */
  RUNNING("running"),
  /** The job is being stopped. */
  TERMINATING("terminating"),
  /** The job was stopped: by the user, or by its {@code max_duration}. */
  TERMINATED("terminated"),
  /** The job failed: a non-zero exit, or the runner could not run it. */
  FAILED("failed"),
  /** The job's process exited with status 0. */
  DONE("done");

  private final String wireValue;

  JobState(String wireValue) {
    this.wireValue = wireValue;
  }

  /** The JSON value, dstack's {@code JobStatus} value. */
  @JsonValue
  public String wireValue() {
    return wireValue;
  }

  /** Whether the job is over: no event follows this one. */
  public boolean isFinished() {
    return this == TERMINATED || this == FAILED || this == DONE;
  }
}
