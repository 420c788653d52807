package ai.dstack.core.yaml;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Readers of the plain value kinds, with dstack's (pydantic's) coercions: a YAML number given for a
 * string field becomes its text, a numeric string given for an integer field becomes the integer.
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

  /** A boolean: {@code true}/{@code false} (YAML 1.1 also takes yes/no/on/off). */
  public static final ValueReader<Boolean> BOOLEAN =
      ValueReader.of(
          Map.of("type", "boolean"),
          (node, path, problems) -> {
            if (node instanceof Node.Scalar s) {
              if (s.type() == Node.ScalarType.BOOL) {
                return (Boolean) s.value();
              }
              if (s.type() == Node.ScalarType.INT && s.value() instanceof BigInteger i) {
                if (i.equals(BigInteger.ZERO)) return false;
                if (i.equals(BigInteger.ONE)) return true;
              }
              if (s.type() == Node.ScalarType.STR) {
                switch (s.text().strip().toLowerCase(java.util.Locale.ROOT)) {
                  case "true", "yes", "on", "1", "t", "y" -> {
                    return true;
                  }
                  case "false", "no", "off", "0", "f", "n" -> {
                    return false;
                  }
                  default -> {}
                }
              }
            }
            return problems.add(node, path, "expected true or false, got " + node.describe());
          });

  /** A number (integer or decimal); numeric strings are accepted. */
  public static final ValueReader<Double> NUMBER =
      ValueReader.of(
          Map.of("type", "number"),
          (node, path, problems) -> {
            if (node instanceof Node.Scalar s) {
              switch (s.type()) {
                case INT -> {
                  return ((BigInteger) s.value()).doubleValue();
                }
                case FLOAT -> {
                  return (Double) s.value();
                }
                case STR -> {
                  try {
                    return Double.parseDouble(s.text().strip());
                  } catch (NumberFormatException e) {
                    // reported below
                  }
                }
                default -> {}
              }
            }
            return problems.add(node, path, "expected a number, got " + node.describe());
          });

  /** An integer; integral numbers ({@code 8.0}) and numeric strings ({@code "8"}) are accepted. */
  public static final ValueReader<Long> INTEGER =
      ValueReader.of(Map.of("type", "integer"), Readers::readInteger);

  private static Long readInteger(Node node, FieldPath path, Problems problems) {
    if (node instanceof Node.Scalar s) {
      switch (s.type()) {
        case INT -> {
          var value = (BigInteger) s.value();
          if (value.bitLength() < 63) {
            return value.longValue();
          }
          return problems.add(node, path, "the integer " + s.text() + " is too large");
        }
        case FLOAT -> {
          var d = (Double) s.value();
          if (d == Math.rint(d) && !d.isInfinite()) {
            return d.longValue();
          }
        }
        case STR -> {
          try {
            return Long.parseLong(s.text().strip());
          } catch (NumberFormatException e) {
            // reported below
          }
        }
        default -> {}
      }
    }
    return problems.add(node, path, "expected an integer, got " + node.describe());
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
          if (value == null) {
            return null;
          }
          if (value < min || value > max) {
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
