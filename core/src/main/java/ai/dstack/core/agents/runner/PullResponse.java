package ai.dstack.core.agents.runner;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The answer of {@link RunnerApi#PULL}: the events after the asked timestamp, oldest first.
 *
 * <p>All events share one timestamp order. Pass {@code last_updated} as the next pull's timestamp:
 * nothing is skipped and nothing repeated. A pull of timestamp {@code T} also tells the runner that
 * every event up to {@code T} is stored, and the runner frees them. One answer holds a few MiB of
 * output at most; when more is waiting, {@code last_updated} is the timestamp of the last event
 * returned and the next pull continues from there.
 *
 * @param jobStates the job's state changes
 * @param jobLogs the job's output
 * @param runnerLogs the runner's own log lines
 * @param lastUpdated the timestamp to pull from next
 * @param noConnectionsSecs seconds without an SSH connection, for {@code inactivity_duration};
 *     {@code null} where the runner does not track them
 * @param hasMore whether more may come: {@code false} once the job is over and this answer holds
 *     its last events
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PullResponse(
    List<JobStateEvent> jobStates,
    List<LogEvent> jobLogs,
    List<LogEvent> runnerLogs,
    long lastUpdated,
    Long noConnectionsSecs,
    boolean hasMore) {
  public PullResponse {
    jobStates = jobStates == null ? List.of() : List.copyOf(jobStates);
    jobLogs = jobLogs == null ? List.of() : List.copyOf(jobLogs);
    runnerLogs = runnerLogs == null ? List.of() : List.copyOf(runnerLogs);
  }
}
