package ai.dstack.sdk;

import ai.dstack.core.configurations.Configuration;
import ai.dstack.core.configurations.ConfigurationParser;
import ai.dstack.core.configurations.DevEnvironmentConfiguration;
import ai.dstack.core.configurations.ServiceConfiguration;
import ai.dstack.core.configurations.TaskConfiguration;
import ai.dstack.core.json.Json;
import ai.dstack.core.runs.wire.InvalidRunSpecException;
import ai.dstack.core.runs.wire.RunSpec;
import ai.dstack.core.runs.wire.RunSpecs;
import ai.dstack.core.yaml.ConfigError;
import ai.dstack.core.yaml.InvalidConfigurationException;
import ai.dstack.core.yaml.Problems;
import ai.dstack.core.yaml.Yaml11;
import ai.dstack.sdk.api.DstackException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * Run specs as dstack's CLI builds them from a {@code .dstack.yml}: the configuration as written
 * (checked here first by core's parser, so a mistake is reported with its line before anything is
 * sent), the virtual repo {@code none}, environment variables listed without a value taken from the
 * caller's environment.
 */
final class RunSpecBuilder {
  private RunSpecBuilder() {}

  /**
   * The run spec of configuration {@code yaml}.
   *
   * @param fileName names the configuration in error messages
   * @param configurationPath the spec's {@code configuration_path}, or null
   * @param callerEnv where variables listed without a value take theirs from
   * @throws DstackException.InvalidConfiguration with every error of the configuration
   */
  static RunSpec fromYaml(
      String yaml, String fileName, String configurationPath, Map<String, String> callerEnv) {
    var configuration = parse(() -> ConfigurationParser.parse(yaml, fileName));
    requireRun(configuration, fileName);
    var problems = new Problems(fileName);
    ObjectNode json = Json.MAPPER.valueToTree(Yaml11.toPlain(Yaml11.parse(yaml, problems)));
    return withCallerEnv(spec(json, configurationPath), fileName, callerEnv);
  }

  /**
   * The run spec of a parsed configuration (its JSON as core writes it, which reads back as the
   * same configuration).
   *
   * @throws DstackException.InvalidConfiguration when it is not a run configuration
   */
  static RunSpec fromConfiguration(Configuration configuration, Map<String, String> callerEnv) {
    requireRun(configuration, "configuration");
    ObjectNode json = Json.MAPPER.valueToTree(configuration);
    return withCallerEnv(spec(json, null), "configuration", callerEnv);
  }

  private static void requireRun(Configuration configuration, String fileName) {
    if (!(configuration instanceof TaskConfiguration
        || configuration instanceof ServiceConfiguration
        || configuration instanceof DevEnvironmentConfiguration)) {
      throw invalid(
          List.of(
              new ConfigError(
                  fileName,
                  0,
                  0,
                  "type",
                  "\""
                      + configuration.type()
                      + "\" is not a run configuration; a run is a task, dev-environment or"
                      + " service")));
    }
  }

  /**
   * The spec {@code dstack offer} plans: a task that asks at least {@code resources} (the YAML
   * {@code resources} mapping, e.g. {@code {"gpu": "A100"}}; empty for anything).
   */
  static RunSpec forOffers(Map<String, Object> resources) {
    var spec = RunSpecs.offersSpec();
    ObjectNode asked = Json.MAPPER.valueToTree(resources);
    ((ObjectNode) spec.get("configuration").get("resources")).setAll(asked);
    return parse(() -> RunSpecs.parse(spec));
  }

  private static RunSpec spec(ObjectNode configuration, String configurationPath) {
    return parse(() -> RunSpecs.parse(RunSpecs.virtualRepoSpec(configuration, configurationPath)));
  }

  /** The spec with the variables listed without a value ({@code env: [HF_TOKEN]}) filled in. */
  private static RunSpec withCallerEnv(RunSpec spec, String fileName, Map<String, String> env) {
    var variables = spec.params().env();
    if (variables == null || variables.unresolved().isEmpty()) {
      return spec;
    }
    Map<String, String> resolved;
    try {
      resolved = variables.resolve(env);
    } catch (IllegalArgumentException e) {
      throw invalid(List.of(new ConfigError(fileName, 0, 0, "env", e.getMessage())));
    }
    var json = spec.json();
    ((ObjectNode) json.get("configuration")).set("env", Json.MAPPER.valueToTree(resolved));
    return parse(() -> RunSpecs.parse(json));
  }

  private static <T> T parse(java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (InvalidConfigurationException e) {
      throw invalid(e.errors());
    } catch (InvalidRunSpecException e) {
      throw invalid(List.of(new ConfigError("run_spec", 0, 0, "", e.getMessage())));
    }
  }

  private static DstackException.InvalidConfiguration invalid(List<ConfigError> errors) {
    String message = String.join("\n", errors.stream().map(ConfigError::toString).toList());
    return new DstackException.InvalidConfiguration(message, errors, 0, null);
  }
}
