package ai.dstack.core.configurations;

import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.FieldPath;
import ai.dstack.core.yaml.Node;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Problems;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Environment variables of a run, written as a mapping ({@code {HF_TOKEN: abc}}) or a list ({@code
 * [HF_TOKEN=abc, WANDB_KEY]}). A name listed without a value ({@code WANDB_KEY}) takes its value
 * from the environment of whoever submits the run: it stays {@link Value.FromCaller} here until
 * {@link #resolve(Map)} fills it in. JSON as dstack writes it: a mapping whose unresolved values
 * are {@code {"key": NAME}}.
 */
public record Env(Map<String, Value> variables) {

  /** No variables. */
  public static final Env EMPTY = new Env(Map.of());

  public Env {
    variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
  }

  /** The value of one variable. */
  public sealed interface Value {
    /** A value written in the configuration. */
    record Literal(String value) implements Value {
      @JsonValue
      String json() {
        return value;
      }
    }

    /** A value to take from the submitter's environment variable {@code key}. */
    record FromCaller(String key) implements Value {}
  }

  /** The names of the variables still waiting for a value from the caller's environment. */
  public List<String> unresolved() {
    var names = new ArrayList<String>();
    variables.forEach(
        (name, value) -> {
          if (value instanceof Value.FromCaller) {
            names.add(name);
          }
        });
    return List.copyOf(names);
  }

  /**
   * Every variable with a value: those to take from the caller are looked up in {@code callerEnv}.
   *
   * @throws IllegalArgumentException naming every variable that {@code callerEnv} lacks
   */
  public Map<String, String> resolve(Map<String, String> callerEnv) {
    var resolved = new LinkedHashMap<String, String>();
    var missing = new ArrayList<String>();
    variables.forEach(
        (name, value) -> {
          switch (value) {
            case Value.Literal literal -> resolved.put(name, literal.value());
            case Value.FromCaller caller -> {
              var found = callerEnv.get(caller.key());
              if (found == null) {
                missing.add(caller.key());
              } else {
                resolved.put(name, found);
              }
            }
          }
        });
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "env: "
              + String.join(", ", missing)
              + (missing.size() == 1 ? " is" : " are")
              + " listed without a value and not set in your environment; export "
              + (missing.size() == 1 ? "it" : "them")
              + " or write NAME=value in the configuration");
    }
    return Collections.unmodifiableMap(resolved);
  }

  @JsonValue
  Map<String, Value> json() {
    return variables;
  }

  private static final Pattern ITEM = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)(=.*)?");

  private static final Field<String> KEY =
      Field.required("key", Readers.STRING, "The caller's environment variable to take");
  private static final ObjectSpec FROM_CALLER = ObjectSpec.of("an unresolved variable", KEY);

  /** The {@code env} field: a mapping or a list of {@code NAME=value} and {@code NAME}. */
  public static final ValueReader<Env> READER =
      ValueReader.of(
          Map.of(
              "anyOf",
              List.of(
                  Map.of(
                      "type",
                      "array",
                      "items",
                      Map.of("type", "string", "pattern", "^" + ITEM.pattern() + "$")),
                  Map.of(
                      "type",
                      "object",
                      "additionalProperties",
                      Map.of(
                          "anyOf",
                          List.of(
                              Map.of("type", "string"),
                              Map.of("type", "number"),
                              FROM_CALLER.schema()))))),
          Env::read);

  private static Env read(Node node, FieldPath path, Problems problems) {
    return switch (node) {
      case Node.Sequence list -> readList(list, path, problems);
      case Node.Mapping mapping -> readMapping(mapping, path, problems);
      default ->
          problems.add(
              node,
              path,
              "expected a mapping (NAME: value) or a list (- NAME=value), got " + node.describe());
    };
  }

  private static Env readList(Node.Sequence list, FieldPath path, Problems problems) {
    var before = problems.count();
    var variables = new LinkedHashMap<String, Value>();
    for (int i = 0; i < list.items().size(); i++) {
      var item = list.items().get(i);
      var at = path.index(i);
      var text = textOf(item);
      if (text == null) {
        problems.add(item, at, "expected NAME=value or NAME, got " + item.describe());
        continue;
      }
      var m = ITEM.matcher(text);
      if (!m.matches()) {
        problems.add(
            item,
            at,
            "\""
                + text
                + "\" is not NAME=value or NAME; a name has letters, digits and _, and does not"
                + " start with a digit");
        continue;
      }
      var name = m.group(1);
      if (variables.containsKey(name)) {
        problems.add(item, at, name + " is set twice; keep one");
        continue;
      }
      variables.put(
          name,
          m.group(2) == null
              ? new Value.FromCaller(name)
              : new Value.Literal(m.group(2).substring(1)));
    }
    return problems.count() == before ? new Env(variables) : null;
  }

  private static Env readMapping(Node.Mapping mapping, FieldPath path, Problems problems) {
    var before = problems.count();
    var variables = new LinkedHashMap<String, Value>();
    for (var entry : mapping.entries()) {
      var at = path.child(entry.key());
      var value = entry.value();
      if (value instanceof Node.Mapping) {
        var values = FROM_CALLER.read(value, at, problems);
        if (values != null && values.get(KEY) != null) {
          variables.put(entry.key(), new Value.FromCaller(values.get(KEY)));
        } else if (values != null && values.isWritten(KEY) && !values.has(KEY)) {
          problems.add(value, at.child("key"), "cannot be null; name a variable");
        }
        continue;
      }
      var text = textOf(value);
      if (text == null) {
        problems.add(
            value,
            at,
            "expected a text value, got "
                + value.describe()
                + (value instanceof Node.Scalar s && s.type() == Node.ScalarType.BOOL
                    ? "; quote it: \"" + s.text() + "\""
                    : ""));
        continue;
      }
      variables.put(entry.key(), new Value.Literal(text));
    }
    return problems.count() == before ? new Env(variables) : null;
  }

  /** Text or a number (as its text); null for anything else. */
  private static String textOf(Node node) {
    if (node instanceof Node.Scalar s) {
      return switch (s.type()) {
        case STR -> s.text();
        case INT, FLOAT -> ai.dstack.core.yaml.Yaml11.pythonNumber(s.value());
        default -> null;
      };
    }
    return null;
  }
}
