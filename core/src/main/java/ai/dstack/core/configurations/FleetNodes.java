package ai.dstack.core.configurations;

import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.FieldPath;
import ai.dstack.core.yaml.Node;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Problems;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * How many instances a cloud fleet has: at least {@code min} kept, {@code target} provisioned when
 * the fleet is applied, at most {@code max} (null: unlimited). Written as {@code 2}, {@code 1..4},
 * {@code 2..}, {@code ..4} or {@code {min, target, max}}; a missing min is 0, a missing target is
 * min.
 */
@JsonPropertyOrder({"min", "target", "max"})
public record FleetNodes(long min, @JsonIgnore long target, Long max) {

  public FleetNodes {
    if (min < 0 || target < min || max != null && max < target) {
      throw new IllegalArgumentException(
          "nodes must satisfy 0 <= min <= target <= max: " + min + ", " + target + ", " + max);
    }
  }

  /** The target as dstack writes it: left out when it equals min, for older clients. */
  @JsonProperty("target")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  Long targetIfNotMin() {
    return target == min ? null : target;
  }

  private static final String EXAMPLES = "e.g. 2, 1..4, 2.. or {min: 1, target: 2, max: 4}";

  private static final Field<Long> MIN =
      Field.of("min", Readers.INTEGER, "The minimum number of instances to keep (default 0)");
  private static final Field<Long> TARGET =
      Field.of(
          "target",
          Readers.INTEGER,
          "The number of instances to provision when the fleet is applied; min <= target <= max"
              + " (default min)");
  private static final Field<Long> MAX =
      Field.of("max", Readers.INTEGER, "The maximum number of instances (default: unlimited)");
  private static final ObjectSpec OBJECT = ObjectSpec.of("a nodes spec", MIN, TARGET, MAX);

  /** The {@code nodes} field of a fleet. */
  public static final ValueReader<FleetNodes> READER =
      ValueReader.of(
          Map.of(
              "anyOf",
              List.of(
                  Map.of("type", "integer", "minimum", 0),
                  Map.of("type", "string", "pattern", "^\\s*\\d*\\s*(\\.\\.\\s*\\d*\\s*)?$"),
                  OBJECT.schema())),
          FleetNodes::read);

  private static FleetNodes read(Node node, FieldPath path, Problems problems) {
    Long min;
    Long target = null;
    Long max;
    if (node instanceof Node.Mapping) {
      var before = problems.count();
      var values = OBJECT.read(node, path, problems);
      if (values == null || problems.count() != before) {
        return null;
      }
      min = values.get(MIN);
      target = values.get(TARGET);
      max = values.get(MAX);
    } else if (node instanceof Node.Scalar s
        && s.type() == Node.ScalarType.STR
        && s.text().contains("..")) {
      var parts = s.text().replace(" ", "").split("\\.\\.", -1);
      if (parts.length != 2) {
        return problems.add(
            node, path, "\"" + s.text() + "\" is not a range of nodes; write " + EXAMPLES);
      }
      min = parts[0].isEmpty() ? null : Readers.integerOf(Node.Scalar.str(parts[0], s.mark()));
      max = parts[1].isEmpty() ? null : Readers.integerOf(Node.Scalar.str(parts[1], s.mark()));
      if (!parts[0].isEmpty() && min == null || !parts[1].isEmpty() && max == null) {
        return problems.add(
            node, path, "\"" + s.text() + "\" is not a range of nodes; write " + EXAMPLES);
      }
    } else if (node instanceof Node.Scalar s
        && (s.type() == Node.ScalarType.INT
            || s.type() == Node.ScalarType.BOOL
            || s.type() == Node.ScalarType.STR)) {
      min = Readers.integerOf(node);
      if (min == null) {
        return problems.add(
            node, path, "expected a number of nodes (" + EXAMPLES + "), got " + node.describe());
      }
      max = min;
    } else {
      return problems.add(
          node, path, "expected a number of nodes (" + EXAMPLES + "), got " + node.describe());
    }
    return checked(min == null ? 0 : min, target, max, node, path, problems);
  }

  private static FleetNodes checked(
      long min, Long target, Long max, Node node, FieldPath path, Problems problems) {
    var effectiveTarget = target == null ? min : target;
    if (min < 0) {
      return problems.add(
          node, path, "min is " + min + ", but the number of instances cannot be negative");
    }
    if (effectiveTarget < min) {
      return problems.add(
          node,
          path,
          "target " + effectiveTarget + " is less than min " + min + "; keep min <= target <= max");
    }
    if (max != null && max < 0) {
      return problems.add(
          node, path, "max is " + max + ", but the number of instances cannot be negative");
    }
    if (max != null && max < min) {
      return problems.add(
          node,
          path,
          "max "
              + max
              + " is less than min "
              + min
              + "; write the smaller number first, e.g. "
              + max
              + ".."
              + min);
    }
    if (max != null && max < effectiveTarget) {
      return problems.add(
          node,
          path,
          "max " + max + " is less than target " + effectiveTarget + "; keep min <= target <= max");
    }
    return new FleetNodes(min, effectiveTarget, max);
  }
}
