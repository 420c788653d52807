package ai.dstack.core.runs.wire;

import ai.dstack.core.yaml.Node;
import ai.dstack.core.yaml.Yaml11;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON sent to the API as the configuration parser's nodes, so a configuration in a run spec is
 * validated by the same code as a {@code .dstack.yml} file. JSON has no line numbers; errors name
 * the field path only.
 */
final class JsonNodes {
  private JsonNodes() {}

  /** The JSON value as a parser node; a missing value reads as null. */
  static Node toNode(JsonNode json) {
    if (json == null || json.isNull() || json.isMissingNode()) {
      return new Node.Scalar(Node.ScalarType.NULL, "null", null, Node.Mark.NONE);
    }
    if (json.isObject()) {
      var entries = new ArrayList<Node.Entry>();
      json.properties()
          .forEach(
              e -> entries.add(new Node.Entry(e.getKey(), Node.Mark.NONE, toNode(e.getValue()))));
      return new Node.Mapping(entries, Node.Mark.NONE);
    }
    if (json.isArray()) {
      var items = new ArrayList<Node>();
      json.forEach(item -> items.add(toNode(item)));
      return new Node.Sequence(List.copyOf(items), Node.Mark.NONE);
    }
    if (json.isBoolean()) {
      var flag = json.booleanValue();
      return new Node.Scalar(Node.ScalarType.BOOL, flag ? "true" : "false", flag, Node.Mark.NONE);
    }
    if (json.isIntegralNumber()) {
      BigInteger value = json.bigIntegerValue();
      return new Node.Scalar(Node.ScalarType.INT, value.toString(), value, Node.Mark.NONE);
    }
    if (json.isNumber()) {
      double value = json.doubleValue();
      return new Node.Scalar(
          Node.ScalarType.FLOAT, Yaml11.pythonNumber(value), value, Node.Mark.NONE);
    }
    return Node.Scalar.str(json.asText(), Node.Mark.NONE);
  }
}
