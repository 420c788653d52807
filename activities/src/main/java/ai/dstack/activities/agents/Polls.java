package ai.dstack.activities.agents;

import io.temporal.activity.Activity;
import java.time.Duration;

/** What the waiting activities do between two polls: heartbeat, and pause. */
final class Polls {
  private Polls() {}

  /**
   * Heartbeats with these details. Throws Temporal's {@code ActivityCompletionException} when the
   * activity was cancelled or timed out meanwhile, which ends the activity.
   */
  static void heartbeat(Object details) {
    Activity.getExecutionContext().heartbeat(details);
  }

  static void pause(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw AgentFailures.interrupted();
    }
  }

  /**
   * The pauses of one wait: short at first, growing by a quarter each time up to the poll interval,
   * so what is ready within a moment (a runner's start, a quick job's end) is seen within a moment,
   * and a long wait polls at the poll interval as before (about ten more polls in all).
   */
  static final class Pacing {
    static final Duration FIRST = Duration.ofMillis(10);

    private final long maxNanos;
    private long nextNanos;

    Pacing(Duration interval) {
      this.maxNanos = interval.toNanos();
      this.nextNanos = Math.min(FIRST.toNanos(), maxNanos);
    }

    /** The next pause. */
    Duration next() {
      long pause = nextNanos;
      nextNanos = Math.min(maxNanos, pause + pause / 4);
      return Duration.ofNanos(pause);
    }
  }

  /** How long an agent has not answered, measured from its first failure since it last did. */
  static final class Silence {
    private final Duration limit;
    private long since = -1;

    Silence(Duration limit) {
      this.limit = limit;
    }

    /** It answered. */
    void heard() {
      since = -1;
    }

    /** It did not answer; returns whether it has been silent for the limit. */
    boolean lastedTooLong() {
      long now = System.nanoTime();
      if (since < 0) {
        since = now;
      }
      return now - since >= limit.toNanos();
    }
  }
}
