package ai.dstack.cli;

import ai.dstack.core.configurations.Configuration;
import ai.dstack.core.configurations.ConfigurationParser;
import ai.dstack.core.json.Json;
import ai.dstack.core.yaml.ConfigError;
import ai.dstack.core.yaml.InvalidConfigurationException;
import ai.dstack.core.yaml.Problems;
import ai.dstack.core.yaml.Yaml11;
import ai.dstack.sdk.api.DstackException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The configuration {@code dstack apply} applies: {@code -f FILE}, {@code -f -} (stdin), or {@code
 * .dstack.yml} (then {@code .dstack.yaml}) in the current directory, checked by core's parser
 * before anything is sent.
 *
 * @param name how errors and the plan name it: the path as given, or {@code -} for stdin
 * @param configurationPath the run spec's {@code configuration_path}: relative to the current
 *     directory when inside it, as dstack sends it
 * @param configuration the parsed configuration
 * @param json the configuration as written (YAML read as JSON), which the server stores and shows
 */
record ConfigurationFile(
    String name, String configurationPath, Configuration configuration, ObjectNode json) {

  /** What {@code -f -} reads from. */
  static final String STDIN = "-";

  /** The configuration's {@code type}: task, service, dev-environment, fleet, volume, gateway. */
  String type() {
    return configuration.type();
  }

  /** A copy of the configuration JSON, for the flags to change. */
  @Override
  public ObjectNode json() {
    return json.deepCopy();
  }

  /**
   * Reads and checks the configuration {@code file} names ({@code null}: the default file).
   *
   * @throws DstackException.InvalidConfiguration with every error of the file (line, column, field)
   * @throws CliException when there is no such file
   */
  static ConfigurationFile load(String file, InputStream stdin) {
    if (STDIN.equals(file)) {
      try {
        return parse(new String(stdin.readAllBytes(), StandardCharsets.UTF_8), STDIN, STDIN);
      } catch (IOException e) {
        throw new CliException("Cannot read the configuration from stdin: " + e.getMessage());
      }
    }
    Path path = file == null ? defaultFile() : Path.of(file);
    if (!Files.isRegularFile(path)) {
      throw new CliException("Configuration file " + file + " does not exist", ExitCodes.INVALID);
    }
    String yaml;
    try {
      yaml = Files.readString(path);
    } catch (IOException e) {
      throw new CliException("Cannot read " + path + ": " + e.getMessage(), ExitCodes.INVALID);
    }
    return parse(yaml, file == null ? path.getFileName().toString() : file, relative(path));
  }

  private static ConfigurationFile parse(String yaml, String name, String configurationPath) {
    Configuration configuration;
    try {
      configuration = ConfigurationParser.parse(yaml, name);
    } catch (InvalidConfigurationException e) {
      throw invalid(e.errors());
    }
    var problems = new Problems(name);
    var plain = Yaml11.toPlain(Yaml11.parse(yaml, problems));
    return new ConfigurationFile(
        name, configurationPath, configuration, Json.MAPPER.valueToTree(plain));
  }

  /** Every error as the SDK reports an invalid configuration, for {@link ErrorReporter}. */
  static DstackException.InvalidConfiguration invalid(List<ConfigError> errors) {
    var message = String.join("\n", errors.stream().map(ConfigError::toString).toList());
    return new DstackException.InvalidConfiguration(message, errors, 0, null);
  }

  private static Path defaultFile() {
    var cwd = Path.of("").toAbsolutePath();
    for (var name : List.of(".dstack.yml", ".dstack.yaml")) {
      if (Files.isRegularFile(cwd.resolve(name))) {
        return cwd.resolve(name);
      }
    }
    throw new CliException(
        "No configuration file given with -f, and no .dstack.yml in the current directory",
        ExitCodes.USAGE);
  }

  private static String relative(Path path) {
    var absolute = path.toAbsolutePath().normalize();
    var cwd = Path.of("").toAbsolutePath().normalize();
    return absolute.startsWith(cwd) ? cwd.relativize(absolute).toString() : absolute.toString();
  }
}
