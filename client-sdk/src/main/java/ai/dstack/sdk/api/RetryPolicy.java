package ai.dstack.sdk.api;

import java.time.Duration;

/**
 * How calls are retried while the server is unavailable: a call that never reached the server
 * (connection refused) is always retried, and an idempotent one (a read, a plan, a log page) also
 * after a timeout or a 502, 503 or 504; each retry waits longer, up to {@code maxDelay}.
 *
 * @param maxAttempts how many times a call is tried in all, at least 1
 * @param initialDelay the wait before the first retry
 * @param multiplier each later wait is this many times the one before, at least 1
 * @param maxDelay the longest wait
 */
public record RetryPolicy(
    int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay) {

  /** Four tries over about 3.5 s (0.5, 1 and 2 s apart), like dstack's CLI's three over 2 s. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(4, Duration.ofMillis(500), 2, Duration.ofSeconds(4));

  /** One try: fail at once. */
  public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, 1, Duration.ZERO);

  /** A policy, checked: at least one attempt, delays of zero or more, a multiplier of 1 or more. */
  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
    }
    if (initialDelay == null
        || maxDelay == null
        || initialDelay.isNegative()
        || maxDelay.isNegative()) {
      throw new IllegalArgumentException("the delays must be zero or more");
    }
    if (!(multiplier >= 1)) {
      throw new IllegalArgumentException("multiplier must be at least 1, not " + multiplier);
    }
  }

  /** {@code maxAttempts} tries, {@code delay} apart. */
  public static RetryPolicy fixed(int maxAttempts, Duration delay) {
    return new RetryPolicy(maxAttempts, delay, 1, delay);
  }

  /** The wait before try number {@code attempt + 1}, after {@code attempt} failed ones (from 1). */
  public Duration delayAfter(int attempt) {
    double millis = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
    return Duration.ofMillis((long) Math.min(millis, maxDelay.toMillis()));
  }
}
