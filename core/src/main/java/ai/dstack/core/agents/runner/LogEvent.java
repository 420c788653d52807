package ai.dstack.core.agents.runner;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Arrays;

/**
 * A piece of output: of the job (its stdout and stderr, merged) or of the runner.
 *
 * @param timestamp the event's place in the runner's single event order (milliseconds since the
 *     epoch, made strictly increasing)
 * @param message the bytes, as written; base64 in JSON, as dstack sends them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LogEvent(long timestamp, byte[] message) {
  @Override
  public boolean equals(Object other) {
    return other instanceof LogEvent that
        && timestamp == that.timestamp
        && Arrays.equals(message, that.message);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(timestamp) * 31 + Arrays.hashCode(message);
  }

  @Override
  public String toString() {
    return "LogEvent[timestamp=" + timestamp + ", " + message.length + " bytes]";
  }
}
