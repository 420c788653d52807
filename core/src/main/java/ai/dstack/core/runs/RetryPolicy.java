package ai.dstack.core.runs;

import ai.dstack.core.profiles.Retry;
import java.time.Duration;
import java.util.List;

/**
 * A job's resolved retry policy, dstack's {@code Retry}: the events it retries on and for how long.
 *
 * @param onEvents the events retried on, never empty
 * @param durationSeconds how long to keep retrying: measured from the run's submission for a job
 *     that never got an instance, else from the end of its last provisioned submission
 */
public record RetryPolicy(List<RetryEvent> onEvents, long durationSeconds) {

  /** dstack's default retry duration: one hour. */
  public static final long DEFAULT_DURATION_SECONDS = 3600;

  /**
   * dstack's delays before resubmitting a pending run, by resubmission attempt (the last one
   * repeats). They keep a run that retries on no-capacity for hours from piling up submissions.
   */
  public static final List<Duration> RESUBMISSION_DELAYS =
      List.of(
          Duration.ofSeconds(15),
          Duration.ofSeconds(30),
          Duration.ofMinutes(1),
          Duration.ofMinutes(2),
          Duration.ofMinutes(5),
          Duration.ofMinutes(10));

  public RetryPolicy {
    if (onEvents == null || onEvents.isEmpty()) {
      throw new IllegalArgumentException("a retry policy retries on at least one event");
    }
    onEvents = List.copyOf(onEvents);
    if (durationSeconds < 0) {
      throw new IllegalArgumentException("retry duration cannot be negative: " + durationSeconds);
    }
  }

  /**
   * The policy a profile's {@code retry} resolves to, as dstack's {@code get_retry}: {@code true}
   * retries on every event for an hour, {@code false} or nothing never retries (null), and a policy
   * object fills in what it leaves out.
   */
  public static RetryPolicy of(Retry retry) {
    return switch (retry) {
      case null -> null;
      case Retry.Switch s ->
          s.enabled() ? new RetryPolicy(allEvents(), DEFAULT_DURATION_SECONDS) : null;
      case Retry.Policy p ->
          new RetryPolicy(
              p.onEvents() == null
                  ? allEvents()
                  : p.onEvents().stream().map(RetryEvent::of).toList(),
              p.duration() == null ? DEFAULT_DURATION_SECONDS : p.duration());
    };
  }

  private static List<RetryEvent> allEvents() {
    return List.of(RetryEvent.NO_CAPACITY, RetryEvent.INTERRUPTION, RetryEvent.ERROR);
  }

  /** Whether the policy retries on this event. */
  public boolean covers(RetryEvent event) {
    return event != null && onEvents.contains(event);
  }

  /** How long to keep retrying. */
  public Duration duration() {
    return Duration.ofSeconds(durationSeconds);
  }

  /**
   * How long a pending run waits before its resubmission number {@code attempt} (1 for the first).
   */
  public static Duration resubmissionDelay(int attempt) {
    int index = Math.max(0, Math.min(attempt - 1, RESUBMISSION_DELAYS.size() - 1));
    return RESUBMISSION_DELAYS.get(index);
  }
}
