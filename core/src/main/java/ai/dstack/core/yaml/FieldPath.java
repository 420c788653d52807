package ai.dstack.core.yaml;

/** Where a value sits in a configuration: {@code resources.gpu}, {@code ports[0]}. */
public record FieldPath(String text) {
  public static final FieldPath ROOT = new FieldPath("");

  public FieldPath child(String name) {
    return new FieldPath(text.isEmpty() ? name : text + "." + name);
  }

  public FieldPath index(int i) {
    return new FieldPath(text + "[" + i + "]");
  }

  public boolean isRoot() {
    return text.isEmpty();
  }

  @Override
  public String toString() {
    return text;
  }
}
