package ai.dstack.core.agents.shim;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A task's life: pending, preparing, pulling, creating, running, terminated; any state may go
 * straight to terminated.
 */
public enum TaskStatus {
  @JsonProperty("pending")
  PENDING,
  @JsonProperty("preparing")
  PREPARING,
  @JsonProperty("pulling")
  PULLING,
  @JsonProperty("creating")
  CREATING,
  @JsonProperty("running")
  RUNNING,
  @JsonProperty("terminated")
  TERMINATED;

  /** The wire name, e.g. {@code pulling}. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
