package ai.dstack.core.yaml;

/**
 * One field of a configuration object: its name as written in YAML, how its value is read, and the
 * description shown in the JSON Schema.
 */
public record Field<T>(String name, ValueReader<T> reader, boolean required, String description) {

  public static <T> Field<T> of(String name, ValueReader<T> reader, String description) {
    return new Field<>(name, reader, false, description);
  }

  public static <T> Field<T> required(String name, ValueReader<T> reader, String description) {
    return new Field<>(name, reader, true, description);
  }
}
