package ai.dstack.core.yaml;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem found in one file, so they are all reported together. */
public final class Problems {
  private final String file;
  private final List<ConfigError> errors = new ArrayList<>();

  public Problems(String file) {
    this.file = file;
  }

  public String file() {
    return file;
  }

  /** Records a problem at the node's position. Returns null, so readers can {@code return}. */
  public <T> T add(Node at, FieldPath path, String message) {
    return add(at.mark(), path, message);
  }

  public <T> T add(Node.Mark at, FieldPath path, String message) {
    errors.add(new ConfigError(file, at.line(), at.column(), path.text(), message));
    return null;
  }

  public boolean isEmpty() {
    return errors.isEmpty();
  }

  public int count() {
    return errors.size();
  }

  public List<ConfigError> errors() {
    return List.copyOf(errors);
  }

  /** Throws an {@link InvalidConfigurationException} with every problem, if there are any. */
  public void throwIfAny() {
    if (!errors.isEmpty()) {
      throw new InvalidConfigurationException(errors());
    }
  }
}
