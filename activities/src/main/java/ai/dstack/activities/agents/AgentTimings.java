package ai.dstack.activities.agents;

import java.time.Duration;

/**
 * How the agent activities pace their calls to shims and runners.
 *
 * @param connectTimeout how long a connection may take: an agent that does not accept one in this
 *     time counts as unreachable for that call
 * @param requestTimeout how long a quick call (status, submit, stop, pull) may take
 * @param uploadTimeout how long an upload of code or files may take (within the activity's ten
 *     minutes)
 * @param pollInterval the pause between two polls of a wait or of the follow (each wait starts with
 *     shorter ones, growing to this within about a second: {@code Polls.Pacing})
 * @param unreachableLimit how long a shim or runner may not answer before the job's instance is
 *     unreachable (dstack: two minutes)
 */
public record AgentTimings(
    Duration connectTimeout,
    Duration requestTimeout,
    Duration uploadTimeout,
    Duration pollInterval,
    Duration unreachableLimit) {

  /** dstack's: two minutes of silence make an instance unreachable; polls every 200 ms. */
  public static final AgentTimings DEFAULTS =
      new AgentTimings(
          Duration.ofSeconds(3),
          Duration.ofSeconds(30),
          Duration.ofMinutes(9),
          Duration.ofMillis(200),
          Duration.ofMinutes(2));

  public AgentTimings {
    for (var timing :
        java.util.Arrays.asList(
            connectTimeout, requestTimeout, uploadTimeout, pollInterval, unreachableLimit)) {
      if (timing == null || timing.isNegative() || timing.isZero()) {
        throw new IllegalArgumentException("agent timings must be positive, not " + timing);
      }
    }
  }

  /** These timings with another unreachable limit (tests use seconds). */
  public AgentTimings withUnreachableLimit(Duration limit) {
    return new AgentTimings(connectTimeout, requestTimeout, uploadTimeout, pollInterval, limit);
  }

  /** These timings with another poll interval. */
  public AgentTimings withPollInterval(Duration interval) {
    return new AgentTimings(
        connectTimeout, requestTimeout, uploadTimeout, interval, unreachableLimit);
  }
}
