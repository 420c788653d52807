package ai.dstack.core.yaml;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Readers of the plain value kinds, with dstack's (pydantic's lax) coercions: a YAML number given
 * for a string field becomes its text; an integer field takes {@code 8}, {@code 8.0}, {@code true}
 * and the text {@code " 8 "}, {@code "+8"}, {@code "1_000"} or {@code "8.0"}; a number field also
 * takes {@code "1e-3"} and {@code "inf"}; a boolean field takes 0/1 and the words true/false,
 * yes/no, on/off, t/f, y/n.
 */
public final class Readers {
  private Readers() {}

  /** A string; numbers are taken as their text, as dstack does ({@code python: 3.10} is "3.1"). */
  public static final ValueReader<String> STRING =
      ValueReader.of(
          Map.of("type", "string"),
          (node, path, problems) -> {
            if (node instanceof Node.Scalar s) {
              switch (s.type()) {
                case STR -> {
                  return s.text();
                }
                case INT, FLOAT -> {
                  return Yaml11.pythonNumber(s.value());
                }
                default -> {}
              }
            }
            return problems.add(node, path, "expected a string, got " + node.describe());
          });

  private static final Pattern INTEGER_TEXT =
      Pattern.compile("\\s*[+-]?[0-9](?:_?[0-9])*(?:\\.0+)?\\s*");
  private static final String DIGITS = "[0-9](?:_?[0-9])*";
  private static final Pattern FLOAT_TEXT =
      Pattern.compile(
          "\\s*[+-]?(?:(?:"
              + DIGITS
              + "(?:\\.(?:"
              + DIGITS
              + ")?)?|\\."
              + DIGITS
              + ")(?:[eE][+-]?"
              + DIGITS
              + ")?|inf|infinity|nan)\\s*",
          Pattern.CASE_INSENSITIVE);

  /** A boolean: true/false, 0/1, or one of the words true, false, yes, no, on, off, t, f, y, n. */
  public static final ValueReader<Boolean> BOOLEAN =
      ValueReader.of(Map.of("type", "boolean"), Readers::readBoolean);

  /** The boolean a node holds, or null (nothing recorded) when it holds none. */
  public static Boolean booleanOf(Node node) {
    if (!(node instanceof Node.Scalar s)) {
      return null;
    }
    return switch (s.type()) {
      case BOOL -> (Boolean) s.value();
      case INT, FLOAT -> {
        var value = ((Number) s.value()).doubleValue();
        yield value == 0 ? Boolean.FALSE : value == 1 ? Boolean.TRUE : null;
      }
      case STR ->
          switch (s.text().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1", "t", "y" -> true;
            case "false", "no", "off", "0", "f", "n" -> false;
            default -> null;
          };
      default -> null;
    };
  }

  private static Boolean readBoolean(Node node, FieldPath path, Problems problems) {
    var value = booleanOf(node);
    return value != null
        ? value
        : problems.add(node, path, "expected true or false, got " + node.describe());
  }

  private static final Pattern PYTHON_INT = Pattern.compile("\\s*[+-]?[0-9](?:_?[0-9])*\\s*");

  /**
   * The integer a text means to Python's {@code int()} ({@code " 42 "}, {@code "-1"}, {@code
   * "1_000"}), or null.
   */
  public static BigInteger pythonInt(String text) {
    if (!PYTHON_INT.matcher(text).matches()) {
      return null;
    }
    var digits = text.strip().replace("_", "");
    return new BigInteger(digits.startsWith("+") ? digits.substring(1) : digits);
  }

  /** An integer. */
  public static final ValueReader<Long> INTEGER =
      ValueReader.of(Map.of("type", "integer"), Readers::readInteger);

  /** The integer a node holds, or null (nothing recorded) when it holds none. */
  public static Long integerOf(Node node) {
    if (!(node instanceof Node.Scalar s)) {
      return null;
    }
    return switch (s.type()) {
      case BOOL -> Boolean.TRUE.equals(s.value()) ? 1L : 0L;
      case INT -> {
        var value = (BigInteger) s.value();
        yield value.bitLength() < 64 ? value.longValue() : null;
      }
      case FLOAT -> {
        var d = (Double) s.value();
        yield d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 9.2e18 ? d.longValue() : null;
      }
      case STR -> {
        if (!INTEGER_TEXT.matcher(s.text()).matches()) {
          yield null;
        }
        var text = s.text().strip().replace("_", "");
        var dot = text.indexOf('.');
        try {
          yield Long.parseLong(dot < 0 ? text : text.substring(0, dot));
        } catch (NumberFormatException e) {
          yield null;
        }
      }
      default -> null;
    };
  }

  private static Long readInteger(Node node, FieldPath path, Problems problems) {
    var value = integerOf(node);
    return value != null
        ? value
        : problems.add(node, path, "expected an integer, got " + node.describe());
  }

  /** An integer within [min, max]. */
  public static ValueReader<Long> integer(long min, long max) {
    var schema = new LinkedHashMap<String, Object>();
    schema.put("type", "integer");
    schema.put("minimum", min);
    schema.put("maximum", max);
    return ValueReader.of(
        schema,
        (node, path, problems) -> {
          var value = readInteger(node, path, problems);
          if (value != null && (value < min || value > max)) {
            return problems.add(
                node, path, "must be between " + min + " and " + max + ", got " + value);
          }
          return value;
        });
  }

  /** An integer of at least min. */
  public static ValueReader<Long> integerAtLeast(long min) {
    return ValueReader.of(
        Map.of("type", "integer", "minimum", min),
        (node, path, problems) -> {
          var value = readInteger(node, path, problems);
          if (value != null && value < min) {
            return problems.add(node, path, "must be at least " + min + ", got " + value);
          }
          return value;
        });
  }

  /** A number; infinities and NaN are kept (callers decide whether they make sense). */
  public static final ValueReader<Double> NUMBER =
      ValueReader.of(Map.of("type", "number"), Readers::readNumber);

  /** The number a node holds, or null when it holds none. */
  public static Double numberOf(Node node) {
    if (!(node instanceof Node.Scalar s)) {
      return null;
    }
    return switch (s.type()) {
      case BOOL -> Boolean.TRUE.equals(s.value()) ? 1.0 : 0.0;
      case INT -> ((BigInteger) s.value()).doubleValue();
      case FLOAT -> (Double) s.value();
      case STR -> {
        if (!FLOAT_TEXT.matcher(s.text()).matches()) {
          yield null;
        }
        var text = s.text().strip().replace("_", "").toLowerCase(Locale.ROOT);
        var negative = text.startsWith("-");
        var unsigned = text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
        if (unsigned.startsWith("inf")) {
          yield negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (unsigned.equals("nan")) {
          yield Double.NaN;
        }
        yield Double.parseDouble(text);
      }
      default -> null;
    };
  }

  private static Double readNumber(Node node, FieldPath path, Problems problems) {
    var value = numberOf(node);
    return value != null
        ? value
        : problems.add(node, path, "expected a number, got " + node.describe());
  }

  /** A number above {@code bound} (NaN is refused). */
  public static ValueReader<Double> numberAbove(double bound) {
    return ValueReader.of(
        Map.of("type", "number", "exclusiveMinimum", bound),
        (node, path, problems) -> {
          var value = readNumber(node, path, problems);
          if (value != null && !(value > bound)) {
            return problems.add(
                node, path, "must be greater than " + show(bound) + ", got " + show(value));
          }
          return value;
        });
  }

  /** A number within [min, max] (NaN is refused). */
  public static ValueReader<Double> number(double min, double max) {
    return ValueReader.of(
        Map.of("type", "number", "minimum", min, "maximum", max),
        (node, path, problems) -> {
          var value = readNumber(node, path, problems);
          if (value != null && !(value >= min && value <= max)) {
            return problems.add(
                node,
                path,
                "must be between " + show(min) + " and " + show(max) + ", got " + show(value));
          }
          return value;
        });
  }

  /** A number as people write it: 8, 0.5, inf. */
  public static String show(Object value) {
    if (value instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        return Yaml11.pythonNumber(d);
      }
      var plain = BigDecimal.valueOf(d).stripTrailingZeros();
      return plain.scale() <= 0 ? plain.toBigInteger().toString() : plain.toPlainString();
    }
    return String.valueOf(value);
  }

  /** A string matching a pattern; {@code expected} says in words what is allowed. */
  public static ValueReader<String> matching(Pattern pattern, String expected) {
    return ValueReader.of(
        Map.of("type", "string", "pattern", pattern.pattern()),
        (node, path, problems) -> {
          var value = STRING.read(node, path, problems);
          if (value != null && !pattern.matcher(value).matches()) {
            return problems.add(node, path, "\"" + value + "\" is not valid: " + expected);
          }
          return value;
        });
  }

  /** One of a fixed set of strings, with a suggestion for a near miss. */
  public static ValueReader<String> oneOf(String... allowed) {
    var set = Set.of(allowed);
    var listed = String.join(", ", allowed);
    return ValueReader.of(
        Map.of("type", "string", "enum", List.of(allowed)),
        (node, path, problems) -> {
          var value = STRING.read(node, path, problems);
          if (value != null && !set.contains(value)) {
            return problems.add(
                node,
                path,
                "\""
                    + value
                    + "\" is not one of "
                    + listed
                    + Suggestions.didYouMean(value, List.of(allowed)));
          }
          return value;
        });
  }

  /** A list of items; each item is read at {@code path[i]}. */
  public static <T> ValueReader<List<T>> listOf(ValueReader<T> item) {
    return ValueReader.of(
        Map.of("type", "array", "items", item.schema()),
        (node, path, problems) -> {
          if (!(node instanceof Node.Sequence seq)) {
            return problems.add(node, path, "expected a list, got " + node.describe());
          }
          return readItems(seq, item, path, problems);
        });
  }

  /** A list, or a single item taken as a list of one. */
  public static <T> ValueReader<List<T>> listOrOne(ValueReader<T> item) {
    return ValueReader.of(
        Map.of("anyOf", List.of(item.schema(), Map.of("type", "array", "items", item.schema()))),
        (node, path, problems) -> {
          if (node instanceof Node.Sequence seq) {
            return readItems(seq, item, path, problems);
          }
          var one = item.read(node, path, problems);
          return one == null ? null : List.of(one);
        });
  }

  private static <T> List<T> readItems(
      Node.Sequence seq, ValueReader<T> item, FieldPath path, Problems problems) {
    var before = problems.count();
    var items = new ArrayList<T>();
    for (int i = 0; i < seq.items().size(); i++) {
      var child = seq.items().get(i);
      var value = item.read(child, path.index(i), problems);
      if (value == null && problems.count() == before) {
        problems.add(child, path.index(i), "a list item cannot be null");
      }
      if (value != null) {
        items.add(value);
      }
    }
    return problems.count() == before ? List.copyOf(items) : null;
  }

  /** A mapping from strings to values, in source order. */
  public static <T> ValueReader<Map<String, T>> mapOf(ValueReader<T> value) {
    return ValueReader.of(
        Map.of("type", "object", "additionalProperties", value.schema()),
        (node, path, problems) -> {
          if (!(node instanceof Node.Mapping mapping)) {
            return problems.add(node, path, "expected a mapping, got " + node.describe());
          }
          var before = problems.count();
          var result = new LinkedHashMap<String, T>();
          for (var entry : mapping.entries()) {
            var v = value.read(entry.value(), path.child(entry.key()), problems);
            if (v != null) {
              result.put(entry.key(), v);
            }
          }
          return problems.count() == before ? java.util.Collections.unmodifiableMap(result) : null;
        });
  }

  /** JSON Schema of "any of these". */
  public static Map<String, Object> anyOf(Map<?, ?>... schemas) {
    return Map.of("anyOf", List.of(schemas));
  }
}
