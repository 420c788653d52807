package ai.dstack.activities.logs;

import ai.dstack.core.agents.runner.LogEvent;
import java.util.List;

/**
 * A page of a log, dstack's {@code JobSubmissionLogs}.
 *
 * @param events the events, each with its timestamp (milliseconds since the epoch, as the runner
 *     gave it) and its message's raw bytes (the server sends them base64)
 * @param nextToken where the next page starts, or null when no more events follow this page
 */
public record LogPage(List<LogEvent> events, String nextToken) {

  public LogPage {
    events = List.copyOf(events);
  }

  /** No events, no next page. */
  public static final LogPage EMPTY = new LogPage(List.of(), null);
}
