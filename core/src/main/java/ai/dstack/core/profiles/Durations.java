package ai.dstack.core.profiles;

import ai.dstack.core.yaml.FieldPath;
import ai.dstack.core.yaml.Node;
import ai.dstack.core.yaml.Problems;
import ai.dstack.core.yaml.ValueReader;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Readers of durations, in seconds: {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, {@code 1w}, or
 * a number of seconds. dstack gives "off" a different meaning per field, and so do these readers:
 * see {@link #DURATION}, {@link #OFFABLE}, {@link #IDLE} and {@link #INACTIVITY}. In YAML 1.1 a
 * bare {@code off} or {@code no} is the boolean false, which every reader takes as "off" where off
 * is allowed.
 */
public final class Durations {
  private Durations() {}

  private static final Pattern PYTHON_INT = Pattern.compile("\\s*[+-]?[0-9](?:_?[0-9])*\\s*");
  // `$` may match before one final newline, as Python's does.
  private static final Pattern WITH_UNIT =
      Pattern.compile("([0-9]+) *([smhdw])$", Pattern.UNIX_LINES);

  private static final String HOW = "write a number and one unit s, m, h, d or w (e.g. \"90m\")";

  private static final Map<String, Object> SCHEMA =
      Map.of("anyOf", List.of(Map.of("type", "integer"), Map.of("type", "string")));

  /**
   * The seconds a duration text means ({@code "90"}, {@code "30s"}, {@code "2h"}), or null when it
   * is not a duration. Units are case-sensitive; spaces may separate number and unit.
   */
  public static Long parse(String text) {
    try {
      if (PYTHON_INT.matcher(text).matches()) {
        return Long.parseLong(text.strip().replace("_", "").replace("+", ""));
      }
      var m = WITH_UNIT.matcher(text);
      if (!m.lookingAt()) {
        return null;
      }
      long multiplier =
          switch (m.group(2)) {
            case "s" -> 1;
            case "m" -> 60;
            case "h" -> 3600;
            case "d" -> 86_400;
            default -> 604_800;
          };
      return Math.multiplyExact(Long.parseLong(m.group(1)), multiplier);
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  /**
   * The seconds of a plain duration node, or null with a problem recorded. Numbers are truncated
   * ({@code 1.5} is 1 second) and booleans are 0 and 1, as in dstack.
   */
  private static Long seconds(Node node, FieldPath path, Problems problems, String offHint) {
    if (node instanceof Node.Scalar s) {
      switch (s.type()) {
        case INT -> {
          var value = (BigInteger) s.value();
          if (value.bitLength() < 64) {
            return value.longValue();
          }
        }
        case FLOAT -> {
          var d = (Double) s.value();
          if (!d.isNaN() && !d.isInfinite() && Math.abs(d) < 9.2e18) {
            return d.longValue();
          }
        }
        case BOOL -> {
          return Boolean.TRUE.equals(s.value()) ? 1L : 0L;
        }
        case STR -> {
          var value = parse(s.text());
          if (value != null) {
            return value;
          }
          return problems.add(
              node, path, "\"" + s.text() + "\" is not a duration; " + HOW + offHint);
        }
        default -> {}
      }
    }
    return problems.add(
        node, path, "expected a duration (e.g. \"30s\", \"2h\"), got " + node.describe());
  }

  private static boolean isOff(Node node) {
    return node instanceof Node.Scalar s
        && (s.type() == Node.ScalarType.BOOL && Boolean.FALSE.equals(s.value())
            || s.type() == Node.ScalarType.STR && s.text().equals("off"));
  }

  private static boolean isTrue(Node node) {
    return node instanceof Node.Scalar s
        && s.type() == Node.ScalarType.BOOL
        && Boolean.TRUE.equals(s.value());
  }

  /**
   * A plain duration ({@code retry.duration}, {@code scaling.window}, probe timeouts): no "off";
   * {@code false}/{@code off} is 0 seconds and {@code true} is 1, as in dstack.
   */
  public static final ValueReader<Long> DURATION =
      ValueReader.of(SCHEMA, (node, path, problems) -> seconds(node, path, problems, ""));

  /**
   * A duration that can be switched off ({@code max_duration}, {@code stop_duration}): {@code off}
   * (or {@code false}) is {@link OffableDuration#OFF}; {@code true} means "the default" and reads
   * as not set; negative values are refused.
   */
  public static final ValueReader<OffableDuration> OFFABLE =
      ValueReader.of(
          Map.of(
              "anyOf",
              List.of(
                  Map.of("type", "integer", "minimum", 0),
                  Map.of("type", "string"),
                  Map.of("type", "boolean"))),
          (node, path, problems) -> {
            if (isOff(node)) {
              return OffableDuration.OFF;
            }
            if (isTrue(node)) {
              return null;
            }
            var seconds = seconds(node, path, problems, ", or off");
            var checked = seconds == null ? null : nonNegative(seconds, node, path, problems);
            return checked == null ? null : OffableDuration.ofSeconds(checked);
          });

  /**
   * The idle duration of instances ({@code idle_duration}, volumes' {@code auto_cleanup_duration}):
   * {@code off} (or {@code false}, or -1) is -1, meaning never; {@code true} reads as not set;
   * other negative values are kept, as dstack keeps them.
   */
  public static final ValueReader<Long> IDLE =
      ValueReader.of(
          Map.of(
              "anyOf",
              List.of(
                  Map.of("type", "integer"), Map.of("type", "string"), Map.of("type", "boolean"))),
          (node, path, problems) -> {
            if (isOff(node)) {
              return -1L;
            }
            if (isTrue(node)) {
              return null;
            }
            return seconds(node, path, problems, ", or off");
          });

  /**
   * A dev environment's {@code inactivity_duration}: {@code off}, {@code false} and {@code true}
   * all read as not set (no inactivity limit); negative values are refused.
   */
  public static final ValueReader<Long> INACTIVITY =
      ValueReader.of(
          Map.of(
              "anyOf",
              List.of(
                  Map.of("type", "integer", "minimum", 0),
                  Map.of("type", "string"),
                  Map.of("type", "boolean"))),
          (node, path, problems) -> {
            if (isOff(node) || isTrue(node)) {
              return null;
            }
            var seconds = seconds(node, path, problems, ", or off");
            return seconds == null ? null : nonNegative(seconds, node, path, problems);
          });

  private static Long nonNegative(long seconds, Node node, FieldPath path, Problems problems) {
    if (seconds < 0) {
      return problems.add(
          node,
          path,
          "cannot be negative, got " + seconds + "; write e.g. \"1h\", or off for no limit");
    }
    return seconds;
  }
}
