package ai.dstack.core.configurations;

import ai.dstack.core.yaml.ValueReader;
import java.util.Map;

/** The registry of configuration types: one line per {@code type} value. */
final class ConfigurationTypes {
  private ConfigurationTypes() {}

  static void register(Map<String, ValueReader<? extends Configuration>> types) {
    // Each type's reader rejects fields it does not know, including those of other types.
  }
}
