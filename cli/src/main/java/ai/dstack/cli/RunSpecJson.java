package ai.dstack.cli;

import ai.dstack.core.configurations.Env;
import ai.dstack.core.json.Json;
import ai.dstack.core.runs.wire.InvalidRunSpecException;
import ai.dstack.core.runs.wire.RunSpec;
import ai.dstack.core.runs.wire.RunSpecs;
import ai.dstack.core.yaml.ConfigError;
import ai.dstack.core.yaml.InvalidConfigurationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Run specs as the CLI sends them in {@code runs/get_plan}: the configuration as written with the
 * flags applied over it ({@code -n}, {@code -e}, {@link RunFlags}), the virtual repo {@code none}
 * (runs here carry no code), and no SSH key (the server fills in the user's).
 */
final class RunSpecJson {
  private RunSpecJson() {}

  /** {@code -e NAME=VALUE}, or {@code -e NAME} for the value of the caller's variable. */
  static final Pattern ENV_FLAG =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)(?:=(.*))?", Pattern.DOTALL);

  /**
   * The spec of a run configuration file with the flags applied, as dstack's {@code apply_args}
   * applies them: resources and profile flags, then the name, then {@code -e} merged over {@code
   * env} and every variable listed without a value taken from {@code callerEnv}.
   *
   * @param envFlags {@code -e} values, each matching {@link #ENV_FLAG}
   * @throws ai.dstack.sdk.api.DstackException.InvalidConfiguration when the result does not
   *     validate, or a variable has no value
   */
  static RunSpec of(
      ConfigurationFile file,
      RunFlags.Overrides overrides,
      String runName,
      List<String> envFlags,
      Map<String, String> callerEnv) {
    var configuration = file.json();
    overrides.applyTo(configuration);
    if (runName != null) {
      configuration.put("name", runName);
    }
    var spec =
        parse(
            file.name(),
            () ->
                RunSpecs.parse(RunSpecs.virtualRepoSpec(configuration, file.configurationPath())));
    var env = spec.params().env() == null ? Env.EMPTY : spec.params().env();
    if (envFlags.isEmpty() && env.unresolved().isEmpty()) {
      return spec;
    }
    var merged = new LinkedHashMap<>(env.variables());
    for (var flag : envFlags) {
      var m = ENV_FLAG.matcher(flag);
      if (!m.matches()) {
        throw new IllegalArgumentException("not NAME=VALUE: " + flag);
      }
      merged.put(
          m.group(1),
          m.group(2) == null
              ? new Env.Value.FromCaller(m.group(1))
              : new Env.Value.Literal(m.group(2)));
    }
    Map<String, String> resolved;
    try {
      resolved = new Env(merged).resolve(callerEnv);
    } catch (IllegalArgumentException e) {
      throw ConfigurationFile.invalid(
          List.of(new ConfigError(file.name(), 0, 0, "", e.getMessage())));
    }
    configuration.set("env", Json.MAPPER.valueToTree(resolved));
    return parse(
        file.name(),
        () -> RunSpecs.parse(RunSpecs.virtualRepoSpec(configuration, file.configurationPath())));
  }

  /**
   * The spec {@code dstack offer} plans: a task asking anything, with the flags applied ({@link
   * RunSpecs#offersSpec}).
   */
  static RunSpec forOffers(RunFlags.Overrides overrides) {
    var spec = RunSpecs.offersSpec();
    overrides.applyTo((ObjectNode) spec.get("configuration"));
    return parse("dstack offer", () -> RunSpecs.parse(spec));
  }

  private static RunSpec parse(String name, Supplier<RunSpec> parse) {
    try {
      return parse.get();
    } catch (InvalidConfigurationException e) {
      // Errors of what the flags wrote have no line: name the file as given, not the spec's path.
      var errors = new ArrayList<ConfigError>();
      for (var error : e.errors()) {
        errors.add(
            new ConfigError(name, error.line(), error.column(), error.path(), error.message()));
      }
      throw ConfigurationFile.invalid(errors);
    } catch (InvalidRunSpecException e) {
      throw ConfigurationFile.invalid(List.of(new ConfigError(name, 0, 0, "", e.getMessage())));
    }
  }
}
