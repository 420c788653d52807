package ai.dstack.core.yaml;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads YAML exactly as dstack's CLI does (PyYAML's {@code safe_load}, YAML 1.1): {@code on}/{@code
 * off}/{@code yes}/{@code no} are booleans, {@code 22:22} is the sexagesimal integer 1342, {@code
 * 0755} is octal, {@code <<} merges mappings. Keeps line and column of every node.
 */
public final class Yaml11 {
  private Yaml11() {}

  /**
   * Parses one YAML document. Returns null, with a problem recorded, when the text is not YAML;
   * returns a null scalar for an empty document.
   */
  public static Node parse(String text, Problems problems) {
    var options = new LoaderOptions();
    options.setAllowDuplicateKeys(true);
    options.setProcessComments(false);
    try {
      var composer =
          new Composer(
              new ParserImpl(new StreamReader(text), options), new PyYamlResolver(), options);
      var root = composer.getSingleNode();
      if (root == null) {
        return new Node.Scalar(Node.ScalarType.NULL, "", null, new Node.Mark(1, 1));
      }
      return convert(root, problems);
    } catch (MarkedYAMLException e) {
      var mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      var at =
          mark == null ? Node.Mark.NONE : new Node.Mark(mark.getLine() + 1, mark.getColumn() + 1);
      var context = "";
      if (e.getContext() != null && e.getContextMark() != null) {
        var started = e.getContextMark();
        context =
            " ("
                + e.getContext()
                + " that starts at line "
                + (started.getLine() + 1)
                + ", column "
                + (started.getColumn() + 1)
                + ")";
      } else if (e.getContext() != null) {
        context = " (" + e.getContext() + ")";
      }
      return problems.add(at, FieldPath.ROOT, "invalid YAML: " + e.getProblem() + context);
    } catch (YAMLException e) {
      return problems.add(Node.Mark.NONE, FieldPath.ROOT, "invalid YAML: " + e.getMessage());
    }
  }

  /**
   * The document as plain Java data, as PyYAML's {@code safe_load} gives it: maps, lists, strings,
   * {@link BigInteger}s, doubles, booleans and nulls (timestamps as their text).
   */
  public static Object toPlain(Node node) {
    return switch (node) {
      case Node.Scalar s -> s.value();
      case Node.Sequence s -> s.items().stream().map(Yaml11::toPlain).toList();
      case Node.Mapping m -> {
        var map = new LinkedHashMap<String, Object>();
        m.entries().forEach(e -> map.put(e.key(), toPlain(e.value())));
        yield map;
      }
    };
  }

  private static Node.Mark markOf(org.yaml.snakeyaml.nodes.Node node) {
    var mark = node.getStartMark();
    return mark == null ? Node.Mark.NONE : new Node.Mark(mark.getLine() + 1, mark.getColumn() + 1);
  }

  private static Node convert(org.yaml.snakeyaml.nodes.Node node, Problems problems) {
    return switch (node) {
      case ScalarNode scalar -> scalar(scalar, problems);
      case SequenceNode sequence -> {
        var items = new ArrayList<Node>();
        for (var item : sequence.getValue()) {
          items.add(convert(item, problems));
        }
        yield new Node.Sequence(items, markOf(sequence));
      }
      case MappingNode mapping -> mapping(mapping, problems);
      default -> problems.add(markOf(node), FieldPath.ROOT, "unsupported YAML node");
    };
  }

  private static Node mapping(MappingNode mapping, Problems problems) {
    // Keys merged in with `<<` come first; keys written in the mapping itself override them.
    var entries = new LinkedHashMap<String, Node.Entry>();
    var own = new ArrayList<Node.Entry>();
    for (NodeTuple tuple : mapping.getValue()) {
      var keyNode = tuple.getKeyNode();
      if (keyNode.getTag().equals(Tag.MERGE)) {
        merge(convert(tuple.getValueNode(), problems), entries, problems);
        continue;
      }
      if (!(keyNode instanceof ScalarNode scalarKey)) {
        problems.add(markOf(keyNode), FieldPath.ROOT, "a mapping key must be a plain value");
        continue;
      }
      var key = scalar(scalarKey, problems);
      own.add(new Node.Entry(keyText(key), key.mark(), convert(tuple.getValueNode(), problems)));
    }
    for (var entry : own) {
      entries.remove(entry.key());
      entries.put(entry.key(), entry);
    }
    return new Node.Mapping(List.copyOf(entries.values()), markOf(mapping));
  }

  private static void merge(Node source, Map<String, Node.Entry> into, Problems problems) {
    switch (source) {
      case Node.Mapping m -> m.entries().forEach(e -> into.putIfAbsent(e.key(), e));
      case Node.Sequence s -> s.items().forEach(item -> merge(item, into, problems));
      case null -> {}
      default ->
          problems.add(source, FieldPath.ROOT, "`<<` merges a mapping or a list of mappings");
    }
  }

  /** The key as Python would see it after dstack's models coerce it to a string. */
  private static String keyText(Node.Scalar key) {
    return switch (key.type()) {
      case INT, FLOAT -> pythonNumber(key.value());
      case BOOL -> Boolean.TRUE.equals(key.value()) ? "True" : "False";
      case NULL -> "None";
      default -> key.text();
    };
  }

  /** A number as Python's {@code str()} prints it. */
  public static String pythonNumber(Object value) {
    if (value instanceof Double d) {
      if (d.isNaN()) return "nan";
      if (d.isInfinite()) return d > 0 ? "inf" : "-inf";
      if (d == Math.rint(d) && Math.abs(d) < 1e16) return String.format(Locale.ROOT, "%.1f", d);
      return Double.toString(d);
    }
    return String.valueOf(value);
  }

  private static Node.Scalar scalar(ScalarNode node, Problems problems) {
    var text = node.getValue();
    var mark = markOf(node);
    var tag = node.getTag();
    try {
      if (tag.equals(Tag.STR) || tag.equals(Tag.BINARY)) {
        return new Node.Scalar(Node.ScalarType.STR, text, text, mark);
      } else if (tag.equals(Tag.NULL)) {
        return new Node.Scalar(Node.ScalarType.NULL, text, null, mark);
      } else if (tag.equals(Tag.BOOL)) {
        var value =
            switch (text.toLowerCase(Locale.ROOT)) {
              case "yes", "true", "on" -> true;
              default -> false;
            };
        return new Node.Scalar(Node.ScalarType.BOOL, text, value, mark);
      } else if (tag.equals(Tag.INT)) {
        return new Node.Scalar(Node.ScalarType.INT, text, parseInt(text), mark);
      } else if (tag.equals(Tag.FLOAT)) {
        return new Node.Scalar(Node.ScalarType.FLOAT, text, parseFloat(text), mark);
      } else if (tag.equals(Tag.TIMESTAMP)) {
        return new Node.Scalar(Node.ScalarType.TIMESTAMP, text, text, mark);
      }
    } catch (NumberFormatException e) {
      problems.add(mark, FieldPath.ROOT, "cannot read \"" + text + "\" as " + tag);
      return unreadable(text, mark);
    }
    problems.add(
        mark,
        FieldPath.ROOT,
        "unsupported YAML tag " + tag + "; remove the tag or quote the value");
    return unreadable(text, mark);
  }

  /** Stands in for a value already reported as unreadable: read as "not set", so reported once. */
  private static Node.Scalar unreadable(String text, Node.Mark mark) {
    return new Node.Scalar(Node.ScalarType.NULL, text, null, mark);
  }

  /** PyYAML's construct_yaml_int: underscores, sign, 0b, 0x, leading-zero octal, base 60. */
  static BigInteger parseInt(String text) {
    var v = text.replace("_", "");
    var sign = BigInteger.ONE;
    if (v.startsWith("-") || v.startsWith("+")) {
      if (v.charAt(0) == '-') sign = BigInteger.ONE.negate();
      v = v.substring(1);
    }
    BigInteger result;
    if (v.equals("0")) {
      result = BigInteger.ZERO;
    } else if (v.startsWith("0b")) {
      result = new BigInteger(v.substring(2), 2);
    } else if (v.startsWith("0x")) {
      result = new BigInteger(v.substring(2), 16);
    } else if (v.startsWith("0")) {
      result = new BigInteger(v, 8);
    } else if (v.contains(":")) {
      result = BigInteger.ZERO;
      for (var digit : v.split(":")) {
        result = result.multiply(BigInteger.valueOf(60)).add(new BigInteger(digit));
      }
    } else {
      result = new BigInteger(v);
    }
    return result.multiply(sign);
  }

  /** PyYAML's construct_yaml_float: underscores, sign, .inf, .nan, base 60. */
  static double parseFloat(String text) {
    var v = text.replace("_", "").toLowerCase(Locale.ROOT);
    double sign = 1;
    if (v.startsWith("-") || v.startsWith("+")) {
      if (v.charAt(0) == '-') sign = -1;
      v = v.substring(1);
    }
    if (v.equals(".inf")) return sign * Double.POSITIVE_INFINITY;
    if (v.equals(".nan")) return Double.NaN;
    if (v.contains(":")) {
      double result = 0;
      for (var digit : v.split(":")) {
        result = result * 60 + Double.parseDouble(digit);
      }
      return sign * result;
    }
    return sign * Double.parseDouble(v);
  }

  /** PyYAML's implicit resolvers (YAML 1.1), which differ from SnakeYAML's for floats. */
  private static final class PyYamlResolver extends Resolver {
    @Override
    protected void addImplicitResolvers() {
      addImplicitResolver(
          Tag.BOOL,
          Pattern.compile(
              "^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$"),
          "yYnNtTfFoO");
      addImplicitResolver(
          Tag.FLOAT,
          Pattern.compile(
              "^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?"
                  + "|\\.[0-9_]+(?:[eE][-+][0-9]+)?"
                  + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*"
                  + "|[-+]?\\.(?:inf|Inf|INF)"
                  + "|\\.(?:nan|NaN|NAN))$"),
          "-+0123456789.");
      addImplicitResolver(
          Tag.INT,
          Pattern.compile(
              "^(?:[-+]?0b[0-1_]+"
                  + "|[-+]?0[0-7_]+"
                  + "|[-+]?(?:0|[1-9][0-9_]*)"
                  + "|[-+]?0x[0-9a-fA-F_]+"
                  + "|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$"),
          "-+0123456789");
      addImplicitResolver(Tag.MERGE, Pattern.compile("^(?:<<)$"), "<");
      addImplicitResolver(Tag.NULL, Pattern.compile("^(?:~|null|Null|NULL)$"), "~nN\0");
      addImplicitResolver(Tag.NULL, Pattern.compile("^$"), null);
      addImplicitResolver(
          Tag.TIMESTAMP,
          Pattern.compile(
              "^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
                  + "|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?"
                  + "(?:[Tt]|[ \\t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\\.[0-9]*)?"
                  + "(?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$"),
          "0123456789");
    }
  }
}
