package ai.dstack.core.profiles;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A duration that can be switched off ({@code max_duration}, {@code stop_duration}): a number of
 * seconds, or off (no limit). In JSON, seconds or the string {@code "off"}, as dstack writes it.
 */
public record OffableDuration(Long seconds) {
  /** No limit. */
  public static final OffableDuration OFF = new OffableDuration(null);

  public OffableDuration {
    if (seconds != null && seconds < 0) {
      throw new IllegalArgumentException("a duration cannot be negative: " + seconds);
    }
  }

  public static OffableDuration ofSeconds(long seconds) {
    return new OffableDuration(seconds);
  }

  public boolean isOff() {
    return seconds == null;
  }

  @JsonValue
  Object json() {
    return isOff() ? "off" : seconds;
  }
}
