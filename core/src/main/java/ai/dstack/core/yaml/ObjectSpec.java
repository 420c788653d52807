package ai.dstack.core.yaml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields of one configuration object. Reads a mapping field by field, rejects unknown fields
 * (with a suggestion for a misspelt name), reports missing required ones, and generates the
 * object's JSON Schema.
 */
public final class ObjectSpec {
  private final String title;
  private final Map<String, Field<?>> fields;

  private ObjectSpec(String title, Map<String, Field<?>> fields) {
    this.title = title;
    this.fields = fields;
  }

  public static ObjectSpec of(String title, Field<?>... fields) {
    return new ObjectSpec(title, new LinkedHashMap<>()).with(fields);
  }

  /** A new spec with these fields added (a field of the same name is replaced). */
  public ObjectSpec with(Field<?>... more) {
    return with(Arrays.asList(more));
  }

  public ObjectSpec with(List<? extends Field<?>> more) {
    var all = new LinkedHashMap<>(fields);
    for (var field : more) {
      all.put(field.name(), field);
    }
    return new ObjectSpec(title, all);
  }

  /** A new spec with another title. */
  public ObjectSpec titled(String newTitle) {
    return new ObjectSpec(newTitle, fields);
  }

  /** A new spec without these fields. */
  public ObjectSpec without(String... names) {
    var all = new LinkedHashMap<>(fields);
    Arrays.asList(names).forEach(all::remove);
    return new ObjectSpec(title, all);
  }

  public String title() {
    return title;
  }

  public Set<String> names() {
    return fields.keySet();
  }

  public List<Field<?>> fields() {
    return List.copyOf(fields.values());
  }

  /**
   * Reads the node as this object. Returns null (with a problem recorded) when it is not a mapping;
   * otherwise the values of the fields that read well, with every problem of the others recorded.
   */
  public FieldValues read(Node node, FieldPath path, Problems problems) {
    if (!(node instanceof Node.Mapping mapping)) {
      return problems.add(node, path, "expected " + title + " (a mapping), got " + node.describe());
    }
    var values = new HashMap<String, Object>();
    var nodes = new HashMap<String, Node>();
    for (var entry : mapping.entries()) {
      var field = fields.get(entry.key());
      var fieldPath = path.child(entry.key());
      if (field == null) {
        problems.add(
            entry.keyMark(),
            fieldPath,
            "unknown field" + Suggestions.didYouMean(entry.key(), fields.keySet()));
        continue;
      }
      nodes.put(field.name(), entry.value());
      if (entry.value() instanceof Node.Scalar s && s.isNull()) {
        continue; // `field:` with no value means "not set", as in dstack
      }
      var value = field.reader().read(entry.value(), fieldPath, problems);
      if (value != null) {
        values.put(field.name(), value);
      }
    }
    for (var field : fields.values()) {
      if (field.required() && !nodes.containsKey(field.name())) {
        problems.add(mapping, path.child(field.name()), "is required: " + field.description());
      }
    }
    return new FieldValues(mapping, path, problems, values, nodes);
  }

  /** The JSON Schema of this object. */
  public Map<String, Object> schema() {
    var properties = new LinkedHashMap<String, Object>();
    var required = new ArrayList<String>();
    for (var field : fields.values()) {
      var schema = new LinkedHashMap<>(field.reader().schema());
      schema.putIfAbsent("description", field.description());
      properties.put(field.name(), schema);
      if (field.required()) {
        required.add(field.name());
      }
    }
    var schema = new LinkedHashMap<String, Object>();
    schema.put("title", title);
    schema.put("type", "object");
    schema.put("properties", properties);
    if (!required.isEmpty()) {
      schema.put("required", required);
    }
    schema.put("additionalProperties", false);
    return schema;
  }

  /** This object as a reader, building a value from its fields. */
  public <T> ValueReader<T> reader(Builder<T> builder) {
    return ValueReader.of(
        schema(),
        (node, path, problems) -> {
          var values = read(node, path, problems);
          return values == null ? null : builder.build(values);
        });
  }

  /** Builds a value from the fields read; reports cross-field problems through the values. */
  @FunctionalInterface
  public interface Builder<T> {
    T build(FieldValues values);
  }
}
