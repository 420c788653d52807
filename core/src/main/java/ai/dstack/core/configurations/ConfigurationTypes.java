package ai.dstack.core.configurations;

import ai.dstack.core.yaml.ValueReader;
import java.util.Map;

/** The registry of configuration types: one line per {@code type} value. */
final class ConfigurationTypes {
  private ConfigurationTypes() {}

  static void register(Map<String, ValueReader<? extends Configuration>> types) {
    // Each type's reader rejects fields it does not know, including those of other types.
    types.put("dev-environment", DevEnvironmentConfiguration.READER);
    types.put("task", TaskConfiguration.READER);
    types.put("service", ServiceConfiguration.READER);
    types.put("fleet", FleetConfiguration.READER);
    types.put("volume", VolumeConfiguration.READER);
    types.put("gateway", GatewayConfiguration.READER);
  }
}
