package ai.dstack.core.yaml;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration that does not validate, with every problem found in it. */
public final class InvalidConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient List<ConfigError> errors;

  public InvalidConfigurationException(List<ConfigError> errors) {
    super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
    this.errors = List.copyOf(errors);
  }

  public List<ConfigError> errors() {
    return errors;
  }
}
