package ai.dstack.core.configurations;

import ai.dstack.core.profiles.NullValues;
import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.FieldPath;
import ai.dstack.core.yaml.Node;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Problems;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A container port and the local port it is forwarded to; a null local port means "any free one"
 * ({@code *:8080}). Written {@code 8080}, {@code 80:8080}, {@code *:8080} or {@code
 * {container_port, local_port}}.
 */
public record PortMapping(Long localPort, long containerPort) {

  static final long MAX_PORT = 65_535;

  private static final Pattern SHORTHAND = Pattern.compile("(?:([0-9]+|\\*):)?([0-9]+)\\n?");
  private static final Pattern SERVICE_SHORTHAND = Pattern.compile("([0-9]+):([0-9]+)");

  private static final ValueReader<Long> PORT = Readers.integer(1, MAX_PORT);
  private static final Field<Long> LOCAL_PORT =
      Field.of("local_port", PORT, "The local port (any free one when left out)");
  private static final Field<Long> CONTAINER_PORT =
      Field.required("container_port", PORT, "The port in the container");
  private static final ObjectSpec OBJECT =
      ObjectSpec.of("a port mapping", LOCAL_PORT, CONTAINER_PORT);

  private static final String HOW = "write e.g. \"8080\", \"80:8080\" or \"*:8080\"";

  /** A {@code ports} item: {@code 8080}, {@code "80:8080"}, {@code "*:8080"} or an object. */
  public static final ValueReader<PortMapping> READER =
      ValueReader.of(
          Map.of(
              "anyOf",
              List.of(
                  Map.of("type", "integer", "minimum", 1, "maximum", MAX_PORT),
                  Map.of("type", "string", "pattern", "^(?:[0-9]+|\\*):[0-9]+$|^[0-9]+$"),
                  OBJECT.schema())),
          PortMapping::read);

  private static PortMapping read(Node node, FieldPath path, Problems problems) {
    if (node instanceof Node.Mapping) {
      return readObject(node, path, problems);
    }
    if (node instanceof Node.Scalar s) {
      switch (s.type()) {
        case INT, BOOL -> {
          var port =
              s.type() == Node.ScalarType.BOOL
                  ? (Boolean.TRUE.equals(s.value()) ? 1 : 0)
                  : clamp((BigInteger) s.value());
          return ports(node, path, problems, port, port);
        }
        case STR -> {
          var m = SHORTHAND.matcher(s.text());
          if (m.matches()) {
            Long container = parsePort(m.group(2));
            Long local = container;
            if (m.group(1) != null) {
              local = m.group(1).equals("*") ? null : parsePort(m.group(1));
            }
            return ports(node, path, problems, local, container);
          }
          return problems.add(node, path, "\"" + s.text() + "\" is not a port mapping; " + HOW);
        }
        default -> {}
      }
    }
    return problems.add(
        node, path, "expected a port or port mapping (" + HOW + "), got " + node.describe());
  }

  /**
   * A service's {@code port}: {@code 8000} (served on port 80), {@code "80:8000"}, or an object.
   * Unlike {@code ports}, {@code *:8000} is not accepted.
   */
  public static final ValueReader<PortMapping> SERVICE_PORT =
      ValueReader.of(
          Map.of(
              "anyOf",
              List.of(
                  Map.of("type", "integer", "minimum", 1, "maximum", MAX_PORT),
                  Map.of("type", "string", "pattern", "^[0-9]+:[0-9]+$|^[0-9]+$"),
                  OBJECT.schema())),
          PortMapping::readServicePort);

  private static PortMapping readServicePort(Node node, FieldPath path, Problems problems) {
    if (node instanceof Node.Mapping) {
      return readObject(node, path, problems);
    }
    if (node instanceof Node.Scalar s) {
      if (s.type() == Node.ScalarType.STR) {
        var m = SERVICE_SHORTHAND.matcher(s.text());
        if (m.matches()) {
          return ports(node, path, problems, parsePort(m.group(1)), parsePort(m.group(2)));
        }
      }
      var port = Readers.integerOf(node);
      if (port != null) {
        return ports(node, path, problems, 80L, port);
      }
      if (s.type() == Node.ScalarType.STR) {
        return problems.add(
            node,
            path,
            "\""
                + s.text()
                + "\" is not a service port; write the container port (e.g. 8000) or"
                + " local:container (e.g. \"80:8000\")");
      }
    }
    return problems.add(node, path, "expected a port (e.g. 8000), got " + node.describe());
  }

  private static PortMapping readObject(Node node, FieldPath path, Problems problems) {
    var values = OBJECT.read(node, path, problems);
    if (values == null) {
      return null;
    }
    NullValues.rejectNull(values, CONTAINER_PORT);
    var container = values.get(CONTAINER_PORT);
    return container == null ? null : new PortMapping(values.get(LOCAL_PORT), container);
  }

  private static PortMapping ports(
      Node node, FieldPath path, Problems problems, Long local, Long container) {
    var localBad = local != null && (local < 1 || local > MAX_PORT);
    var containerBad = container < 1 || container > MAX_PORT;
    if (localBad && containerBad && local.equals(container)) {
      return problems.add(node, path, "port " + container + " is out of range; use 1 to 65535");
    }
    if (localBad) {
      problems.add(node, path, "local port " + local + " is out of range; use 1 to 65535");
    }
    if (containerBad) {
      problems.add(node, path, "container port " + container + " is out of range; use 1 to 65535");
    }
    return localBad || containerBad ? null : new PortMapping(local, container);
  }

  private static long parsePort(String digits) {
    return clamp(new BigInteger(digits));
  }

  // Out-of-range ports only need to stay out of range.
  private static long clamp(BigInteger value) {
    return value.bitLength() < 32 ? value.longValue() : value.signum() * (MAX_PORT + 1);
  }
}
