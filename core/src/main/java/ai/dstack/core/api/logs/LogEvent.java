package ai.dstack.core.api.logs;

import ai.dstack.core.runs.wire.Timestamps;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.Base64;

/**
 * One event of a job's log, dstack's {@code LogEvent}.
 *
 * @param timestamp when the runner read it; strictly increasing within a log
 * @param logSource {@code stdout} or {@code stderr}
 * @param message the raw bytes, base64; newlines are part of them
 */
public record LogEvent(
    @JsonSerialize(using = Timestamps.Serializer.class)
        @JsonDeserialize(using = Timestamps.Deserializer.class)
        Instant timestamp,
    String logSource,
    String message) {

  /** The raw bytes of {@link #message}. */
  public byte[] bytes() {
    return Base64.getDecoder().decode(message);
  }
}
