package ai.dstack.core.yaml;

import java.util.Map;

/** The values read for one object's fields, and where each was written. */
public final class FieldValues {
  private final Node.Mapping mapping;
  private final FieldPath path;
  private final Problems problems;
  private final Map<String, Object> values;
  private final Map<String, Node> nodes;

  FieldValues(
      Node.Mapping mapping,
      FieldPath path,
      Problems problems,
      Map<String, Object> values,
      Map<String, Node> nodes) {
    this.mapping = mapping;
    this.path = path;
    this.problems = problems;
    this.values = values;
    this.nodes = nodes;
  }

  /** The value read, or null when the field is absent, null, or did not read. */
  @SuppressWarnings("unchecked")
  public <T> T get(Field<T> field) {
    return (T) values.get(field.name());
  }

  /** The value read, or {@code otherwise}. */
  public <T> T get(Field<T> field, T otherwise) {
    var value = get(field);
    return value == null ? otherwise : value;
  }

  /** Whether the field was written (even as null, or with a value that did not read). */
  public boolean isWritten(Field<?> field) {
    return nodes.containsKey(field.name());
  }

  /** Whether the field was written with a value that read well. */
  public boolean has(Field<?> field) {
    return values.containsKey(field.name());
  }

  /** The object itself, for problems that concern it as a whole. */
  public Node.Mapping mapping() {
    return mapping;
  }

  public FieldPath path() {
    return path;
  }

  public Problems problems() {
    return problems;
  }

  /** Records a problem with a field, at the place its value was written (or at the object). */
  public <T> T problem(Field<?> field, String message) {
    var node = nodes.get(field.name());
    return problems.add(node != null ? node : mapping, path.child(field.name()), message);
  }

  /** Records a problem with the object as a whole. */
  public <T> T problem(String message) {
    return problems.add(mapping, path, message);
  }
}
