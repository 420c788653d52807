package ai.dstack.core.api.logs;

import java.util.List;

/**
 * The answer of {@code logs/poll}, dstack's {@code JobSubmissionLogs}.
 *
 * @param logs the page's events
 * @param externalUrl where else the logs are kept, or null
 * @param nextToken pass it back for the next page; null when no more events follow now
 */
public record JobSubmissionLogs(List<LogEvent> logs, String externalUrl, String nextToken) {
  /** A page; a missing {@code logs} reads as none. */
  public JobSubmissionLogs {
    logs = logs == null ? List.of() : List.copyOf(logs);
  }
}
