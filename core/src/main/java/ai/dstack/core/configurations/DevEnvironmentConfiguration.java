package ai.dstack.core.configurations;

import ai.dstack.core.profiles.Durations;
import ai.dstack.core.profiles.NullValues;
import ai.dstack.core.profiles.ProfileParams;
import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code type: dev-environment}: a machine to work on over SSH or from an IDE, with optional
 * commands run at startup ({@code init}) and an inactivity limit.
 */
public record DevEnvironmentConfiguration(
    String ide,
    String version,
    List<String> init,
    Long inactivityDuration,
    List<PortMapping> ports,
    @JsonUnwrapped RunParams run,
    @JsonUnwrapped ProfileParams profile)
    implements Configuration {

  public static final String TYPE = "dev-environment";

  public DevEnvironmentConfiguration {
    init = List.copyOf(init);
    ports = List.copyOf(ports);
  }

  @Override
  @JsonProperty("type")
  public String type() {
    return TYPE;
  }

  private static final Pattern WINDSURF_VERSION = Pattern.compile(".+@[a-f0-9]+\\n?");

  private static final Field<String> TYPE_FIELD =
      Field.required("type", Readers.oneOf(TYPE), "The configuration type: dev-environment");
  private static final Field<String> IDE =
      Field.of(
          "ide",
          Readers.oneOf("vscode", "cursor", "windsurf", "zed"),
          "The IDE to install: vscode, cursor, windsurf or zed (none by default: SSH only)");
  private static final Field<String> VERSION =
      Field.of(
          "version",
          Readers.STRING,
          "The IDE version; for windsurf, version@commit (e.g."
              + " 1.106.0@8951cd3ad688e789573d7f51750d67ae4a0bea7d)");
  private static final Field<List<String>> INIT =
      Field.of("init", RunParams.COMMANDS, "Shell commands to run when the environment starts");
  private static final Field<Long> INACTIVITY_DURATION =
      Field.of(
          "inactivity_duration",
          Durations.INACTIVITY,
          "Stop the environment after this long without SSH or IDE connections (e.g. 2h), or off"
              + " (the default)");
  static final Field<List<PortMapping>> PORTS =
      Field.of(
          "ports",
          Readers.listOf(PortMapping.READER),
          "Ports to forward: 8080, 80:8080 or *:8080 (any free local port)");

  private static final ObjectSpec SPEC =
      ObjectSpec.of("a dev environment", TYPE_FIELD, IDE, VERSION, INIT, INACTIVITY_DURATION, PORTS)
          .with(RunParams.FIELDS)
          .with(ProfileParams.RUN_FIELDS);

  /** Reads {@code type: dev-environment}. */
  public static final ValueReader<DevEnvironmentConfiguration> READER =
      SPEC.reader(
          values -> {
            NullValues.rejectNull(values, INIT, PORTS);
            var run = RunParams.read(values);
            var ide = values.get(IDE);
            var version = values.get(VERSION);
            if (version != null
                && !version.isEmpty()
                && (!values.isWritten(IDE) || RunParams.isNull(values, IDE))) {
              values.problem(VERSION, "needs ide: name the IDE this version is of");
            }
            if ("windsurf".equals(ide)
                && version != null
                && !version.isEmpty()
                && !WINDSURF_VERSION.matcher(version).matches()) {
              values.problem(
                  VERSION,
                  "\""
                      + version
                      + "\" is not a windsurf version; write version@commit, e.g."
                      + " 1.106.0@8951cd3ad688e789573d7f51750d67ae4a0bea7d");
            }
            if (values.get(RunParams.ENTRYPOINT) != null) {
              values.problem(
                  RunParams.ENTRYPOINT,
                  "is not supported for dev environments; use init to run commands at startup");
            }
            var inactivity = values.get(INACTIVITY_DURATION);
            if (run.dstack() && inactivity != null) {
              values.problem(
                  INACTIVITY_DURATION,
                  "cannot be set with dstack: true: the connection to the server counts as activity;"
                      + " remove one of them");
            }
            return new DevEnvironmentConfiguration(
                ide,
                version,
                values.get(INIT, List.of()),
                inactivity,
                values.get(PORTS, List.of()),
                run,
                ProfileParams.read(values));
          });
}
