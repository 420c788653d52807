package ai.dstack.cli;

import ai.dstack.core.api.fleets.DeleteFleetsRequest;
import ai.dstack.core.api.fleets.GetFleetRequest;
import ai.dstack.core.api.runs.DeleteRunsRequest;
import ai.dstack.core.api.runs.GetRunRequest;
import ai.dstack.core.configurations.Configuration;
import ai.dstack.core.configurations.ConfigurationParser;
import ai.dstack.core.configurations.DevEnvironmentConfiguration;
import ai.dstack.core.configurations.FleetConfiguration;
import ai.dstack.core.configurations.GatewayConfiguration;
import ai.dstack.core.configurations.ServiceConfiguration;
import ai.dstack.core.configurations.TaskConfiguration;
import ai.dstack.core.configurations.VolumeConfiguration;
import ai.dstack.core.yaml.ConfigError;
import ai.dstack.core.yaml.InvalidConfigurationException;
import ai.dstack.sdk.Dstack;
import ai.dstack.sdk.api.DstackException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dstack delete -f FILE}: deletes what a configuration file names: a finished run (a task,
 * service or dev environment), a fleet (waiting until it is gone), a volume or a gateway. The file
 * must name it ({@code name:}).
 */
@Command(
    name = "delete",
    aliases = "destroy",
    mixinStandardHelpOptions = true,
    description = {
      "Delete the run, fleet, volume or gateway a configuration file names.",
      "A run must have finished: stop it first with `dstack stop`."
    })
final class DeleteCommand implements Callable<Integer> {
  private static final long FLEET_POLL_MILLIS = 1000;

  @Mixin ProjectOptions project;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "The configuration file (default: .dstack.yml, else .dstack.yaml, here).")
  Path file;

  @Option(
      names = {"-y", "--yes"},
      description = "Do not ask for confirmation.")
  boolean yes;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    Path path = file != null ? file : defaultFile();
    if (!Files.exists(path)) {
      throw new CliException("Configuration file " + path + " does not exist");
    }
    Configuration configuration = parse(path);
    var target = Target.of(configuration, path);
    try (var dstack = project.connect()) {
      if (!target.exists(dstack)) {
        throw new CliException(target + " does not exist");
      }
      var resource = new NamedResource(target.kind.label, target.name, dstack.project());
      if (!resource.deleteConfirmed(spec.commandLine().getErr(), yes)) {
        return ExitCodes.OK;
      }
      target.delete(dstack);
      resource.sayDeleted(spec.commandLine().getOut());
    }
    return ExitCodes.OK;
  }

  private static Path defaultFile() {
    Path yml = Path.of(".dstack.yml");
    if (Files.exists(yml)) {
      return yml;
    }
    Path yaml = Path.of(".dstack.yaml");
    if (Files.exists(yaml)) {
      return yaml;
    }
    throw new CliException(
        "No configuration file given with -f, and no .dstack.yml here to default to");
  }

  private static Configuration parse(Path path) {
    String text;
    try {
      text = Files.readString(path);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path, e);
    }
    try {
      return ConfigurationParser.parse(text, path.toString());
    } catch (InvalidConfigurationException e) {
      List<ConfigError> errors = e.errors();
      throw new DstackException.InvalidConfiguration(e.getMessage(), errors, 0, null);
    }
  }

  /** The kinds of resource a configuration file names, as dstack's messages say them. */
  private enum Kind {
    RUN("Run"),
    FLEET("Fleet"),
    VOLUME("Volume"),
    GATEWAY("Gateway");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** What the file names: its kind and its name. */
  private record Target(Kind kind, String name) {

    static Target of(Configuration configuration, Path path) {
      var target =
          switch (configuration) {
            case TaskConfiguration task -> new Target(Kind.RUN, task.run().name());
            case ServiceConfiguration service -> new Target(Kind.RUN, service.run().name());
            case DevEnvironmentConfiguration dev -> new Target(Kind.RUN, dev.run().name());
            case FleetConfiguration fleet -> new Target(Kind.FLEET, fleet.name());
            case VolumeConfiguration volume -> new Target(Kind.VOLUME, volume.name());
            case GatewayConfiguration gateway -> new Target(Kind.GATEWAY, gateway.name());
            default ->
                throw new CliException(
                    "dstack delete does not delete " + configuration.type() + " configurations");
          };
      if (target.name == null) {
        throw new CliException(
            "Configuration specifies no "
                + target.kind.label.toLowerCase(Locale.ROOT)
                + " to delete: "
                + path
                + " has no `name:`");
      }
      return target;
    }

    @Override
    public String toString() {
      return kind.label + " " + name;
    }

    boolean exists(Dstack dstack) {
      var api = dstack.api();
      String p = dstack.project();
      try {
        switch (kind) {
          case RUN -> api.runs().get(p, GetRunRequest.byName(name));
          case FLEET -> api.fleets().get(p, new GetFleetRequest(name, null));
          case VOLUME -> api.volumes().get(p, name);
          case GATEWAY -> api.gateways().get(p, name);
        }
        return true;
      } catch (DstackException.NotFound e) {
        return false;
      }
    }

    void delete(Dstack dstack) throws InterruptedException {
      var api = dstack.api();
      String p = dstack.project();
      switch (kind) {
        case RUN -> api.runs().delete(p, new DeleteRunsRequest(List.of(name)));
        case FLEET -> {
          api.fleets().delete(p, new DeleteFleetsRequest(List.of(name)));
          // Deleting a fleet terminates its instances first: it is gone once fleets/get says so.
          while (exists(dstack)) {
            Thread.sleep(FLEET_POLL_MILLIS);
          }
        }
        case VOLUME -> api.volumes().delete(p, List.of(name));
        case GATEWAY -> api.gateways().delete(p, List.of(name));
      }
    }
  }
}
