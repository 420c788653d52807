package ai.dstack.core.configurations;

import ai.dstack.core.profiles.Durations;
import ai.dstack.core.profiles.NullValues;
import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;
import java.util.List;

/**
 * How a service scales its replicas: towards {@code target} requests per second per replica,
 * measured over {@code window} seconds (30, 60 or 300; 60 when null), waiting at least the delays
 * (seconds) between scaling decisions.
 */
public record ScalingSpec(
    String metric, double target, Long window, long scaleUpDelay, long scaleDownDelay) {

  /** The measuring windows services can use, in seconds. */
  public static final List<Long> WINDOWS = List.of(30L, 60L, 300L);

  private static final Field<String> METRIC =
      Field.required(
          "metric", Readers.oneOf("rps"), "The metric to track: rps (requests per second)");
  private static final Field<Double> TARGET =
      Field.required(
          "target",
          Readers.numberAbove(0),
          "The target value of the metric per replica; replicas are added or removed to keep it");
  private static final Field<Long> WINDOW =
      Field.of(
          "window",
          Durations.DURATION,
          "The window requests per second are measured over: 30s, 60s (the default) or 300s");
  private static final Field<Long> SCALE_UP_DELAY =
      Field.of(
          "scale_up_delay",
          Durations.DURATION,
          "The least time between a scaling event and the next scale-up (default 5m)");
  private static final Field<Long> SCALE_DOWN_DELAY =
      Field.of(
          "scale_down_delay",
          Durations.DURATION,
          "The least time between a scaling event and the next scale-down (default 10m)");

  /** The {@code scaling} object. */
  public static final ValueReader<ScalingSpec> READER =
      ObjectSpec.of("a scaling spec", METRIC, TARGET, WINDOW, SCALE_UP_DELAY, SCALE_DOWN_DELAY)
          .reader(
              values -> {
                NullValues.rejectNull(values, METRIC, TARGET, SCALE_UP_DELAY, SCALE_DOWN_DELAY);
                var window = values.get(WINDOW);
                if (window != null && !WINDOWS.contains(window)) {
                  values.problem(WINDOW, "must be 30s, 60s or 300s, got " + window + " seconds");
                }
                var target = values.get(TARGET);
                return values.get(METRIC) == null || target == null
                    ? null
                    : new ScalingSpec(
                        "rps",
                        target,
                        window,
                        values.get(SCALE_UP_DELAY, 300L),
                        values.get(SCALE_DOWN_DELAY, 600L));
              });
}
