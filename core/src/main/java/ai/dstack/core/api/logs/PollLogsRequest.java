package ai.dstack.core.api.logs;

import ai.dstack.core.runs.wire.Timestamps;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.UUID;

/**
 * The body of {@code logs/poll}.
 *
 * @param runName the run
 * @param jobSubmissionId the job submission whose log to read
 * @param startTime only events after this time (exclusive), or null
 * @param endTime only events before this time, or null
 * @param descending newest first
 * @param nextToken the previous page's {@code next_token}, or null for the first page; the other
 *     fields stay the same from page to page
 * @param limit at most this many events, up to 1000
 * @param diagnose the runner's own log instead of the job's
 */
public record PollLogsRequest(
    @JsonProperty(required = true) String runName,
    @JsonProperty(required = true) UUID jobSubmissionId,
    @JsonSerialize(using = Timestamps.Serializer.class)
        @JsonDeserialize(using = Timestamps.Deserializer.class)
        Instant startTime,
    @JsonSerialize(using = Timestamps.Serializer.class)
        @JsonDeserialize(using = Timestamps.Deserializer.class)
        Instant endTime,
    boolean descending,
    String nextToken,
    int limit,
    boolean diagnose) {

  /** The page of the job's log after {@code startTime} (null: from the start), as dstack asks. */
  public static PollLogsRequest after(
      String runName, UUID jobSubmissionId, Instant startTime, String nextToken) {
    return new PollLogsRequest(
        runName, jobSubmissionId, startTime, null, false, nextToken, 1000, false);
  }
}
