package ai.dstack.core.profiles;

import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;

/**
 * Stop a run whose GPUs stay below {@code minGpuUtilization} percent for a whole {@code timeWindow}
 * (seconds, at least 5 minutes).
 */
public record UtilizationPolicy(long minGpuUtilization, long timeWindow) {

  /** The shortest time window dstack measures utilization over, in seconds. */
  public static final long MIN_TIME_WINDOW = 300;

  private static final Field<Long> MIN_GPU_UTILIZATION =
      Field.required(
          "min_gpu_utilization",
          Readers.integer(0, 100),
          "The minimum GPU utilization, in percent (0-100)");
  private static final Field<Long> TIME_WINDOW =
      Field.required(
          "time_window",
          Durations.DURATION,
          "The time window utilization is measured over (e.g. 30m, 1h; at least 5m)");

  /** The {@code utilization_policy} object. */
  public static final ValueReader<UtilizationPolicy> READER =
      ObjectSpec.of("a utilization policy", MIN_GPU_UTILIZATION, TIME_WINDOW)
          .reader(
              values -> {
                NullValues.rejectNull(values, MIN_GPU_UTILIZATION, TIME_WINDOW);
                var window = values.get(TIME_WINDOW);
                if (window != null && window < MIN_TIME_WINDOW) {
                  return values.problem(
                      TIME_WINDOW, "must be at least 5m, got " + window + " seconds");
                }
                var min = values.get(MIN_GPU_UTILIZATION);
                return min == null || window == null ? null : new UtilizationPolicy(min, window);
              });
}
