package ai.dstack.core.runs.wire;

import com.fasterxml.jackson.annotation.JsonValue;

/** What applying a plan does, dstack's {@code ApplyAction}. */
public enum ApplyAction {
  /** Create the resource, or replace a finished one of the same name. */
  CREATE("create"),
  /** Update the active resource in place. */
  UPDATE("update");

  private final String value;

  ApplyAction(String value) {
    this.value = value;
  }

  /** The JSON value. */
  @JsonValue
  public String value() {
    return value;
  }
}
