package ai.dstack.core.runs;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** What a run can be retried on, dstack's {@code RetryEvent}. */
public enum RetryEvent {
  /** No instance could be had for the job. */
  NO_CAPACITY("no-capacity"),
  /** The job's instance was taken away (a spot interruption). */
  INTERRUPTION("interruption"),
  /** The job failed for any other reason. */
  ERROR("error");

  private final String value;

  RetryEvent(String value) {
    this.value = value;
  }

  /** The JSON value, e.g. {@code no-capacity}. */
  @JsonValue
  public String value() {
    return value;
  }

  /** The event with this JSON value. */
  public static RetryEvent of(String value) {
    return Arrays.stream(values())
        .filter(e -> e.value.equals(value))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown retry event " + value));
  }
}
