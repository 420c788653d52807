package ai.dstack.core.yaml;

import java.util.Map;
import java.util.function.Function;

/**
 * Reads one kind of value from a node and describes, as a JSON Schema fragment, what it accepts.
 * The same reader drives parsing and the generated JSON Schema, so the two cannot drift.
 *
 * @param <T> the value read
 */
public interface ValueReader<T> {

  /**
   * Reads the node. When it cannot, records why in {@code problems} (at the node, under {@code
   * path}) and returns null.
   */
  T read(Node node, FieldPath path, Problems problems);

  /** The JSON Schema of the accepted input forms. */
  Map<String, Object> schema();

  /** A reader from a function and a schema. */
  static <T> ValueReader<T> of(Map<String, Object> schema, Reading<T> reading) {
    return new ValueReader<>() {
      @Override
      public T read(Node node, FieldPath path, Problems problems) {
        return reading.read(node, path, problems);
      }

      @Override
      public Map<String, Object> schema() {
        return schema;
      }
    };
  }

  /** This reader, with its result transformed (only when reading succeeded). */
  default <R> ValueReader<R> map(Function<T, R> f) {
    var self = this;
    return of(
        schema(),
        (node, path, problems) -> {
          var value = self.read(node, path, problems);
          return value == null ? null : f.apply(value);
        });
  }

  /** This reader with a description added to its schema. */
  default ValueReader<T> described(String description) {
    var schema = new java.util.LinkedHashMap<String, Object>(schema());
    schema.put("description", description);
    return of(Map.copyOf(schema), this::read);
  }

  /** The reading part of a reader. */
  @FunctionalInterface
  interface Reading<T> {
    T read(Node node, FieldPath path, Problems problems);
  }
}
