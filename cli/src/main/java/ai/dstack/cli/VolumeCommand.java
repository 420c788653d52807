package ai.dstack.cli;

import ai.dstack.sdk.Dstack;
import ai.dstack.sdk.api.DstackException;
import ai.dstack.sdk.api.WireJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code dstack volume}: the project's network volumes. Lists them (also {@code volume list}),
 * shows one ({@code volume get}), deletes one ({@code volume delete}).
 */
@Command(
    name = "volume",
    mixinStandardHelpOptions = true,
    description = "Manage volumes. Without a subcommand, lists them.",
    subcommands = {
      VolumeCommand.ListVolumes.class,
      VolumeCommand.GetVolume.class,
      VolumeCommand.DeleteVolume.class
    })
final class VolumeCommand implements Callable<Integer> {

  @Mixin ProjectOptions project;
  @Mixin ListingOptions listing;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return list(spec, project, listing);
  }

  static int list(CommandSpec spec, ProjectOptions project, ListingOptions listing) {
    listing.check();
    var out = spec.commandLine().getOut();
    try (Dstack dstack = project.connect()) {
      var volumes = dstack.api().volumes();
      if (listing.json) {
        var output = new LinkedHashMap<String, Object>();
        output.put("project", dstack.project());
        output.put("volumes", volumes.list(dstack.project()));
        JsonOutput.print(out, output);
        return ExitCodes.OK;
      }
      if (listing.watch) {
        return WatchLoop.run(
            spec, () -> table(volumes.list(dstack.project()), listing.verbose, Instant.now()));
      }
      table(volumes.list(dstack.project()), listing.verbose, Instant.now()).print(out);
      return ExitCodes.OK;
    }
  }

  /** dstack's volumes table: NAME, BACKEND, STATUS, CREATED; more with {@code verbose}. */
  static Table table(List<JsonNode> volumes, boolean verbose, Instant now) {
    var headers = new ArrayList<String>();
    headers.addAll(List.of("NAME", "BACKEND"));
    if (verbose) {
      headers.add("REGION");
    }
    headers.add("STATUS");
    if (verbose) {
      headers.add("ATTACHED");
    }
    headers.add("CREATED");
    if (verbose) {
      headers.add("ERROR");
    }
    var table = new Table(headers.toArray(String[]::new));
    for (JsonNode volume : volumes) {
      JsonNode configuration = volume.path("configuration");
      String backend = text(configuration.path("backend"));
      String region = text(configuration.path("region"));
      String zone = text(volume.path("provisioning_data").path("availability_zone"));
      if (verbose) {
        if (!zone.isEmpty()) {
          region = region + " (" + zone + ")";
        }
      } else if (!region.isEmpty()) {
        backend = backend + " (" + region + ")";
      }
      String attached = "-";
      if (volume.path("attachments").isArray()) {
        var fleets = new LinkedHashSet<String>();
        volume
            .path("attachments")
            .forEach(a -> fleets.add(text(a.path("instance").path("fleet_name"))));
        fleets.remove("");
        attached = fleets.isEmpty() ? "-" : String.join(", ", fleets);
      }
      var row = new LinkedHashMap<String, String>();
      row.put("NAME", text(volume.path("name")));
      row.put("BACKEND", backend);
      row.put("REGION", region);
      row.put("STATUS", text(volume.path("status")));
      row.put("ATTACHED", attached);
      row.put("CREATED", PrettyDate.ago(instant(volume.path("created_at")), now));
      row.put("ERROR", text(volume.path("status_message")));
      table.row(headers.stream().map(row::get).toArray());
    }
    return table;
  }

  static String text(JsonNode node) {
    return node.isMissingNode() || node.isNull() ? "" : node.asText();
  }

  /** A datetime of the wire, or null when there is none or it cannot be read. */
  static Instant instant(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    try {
      return WireJson.MAPPER.treeToValue(node, Instant.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
      return null;
    }
  }

  private ProjectOptions projectOf(ProjectOptions own) {
    return own.project != null ? own : project;
  }

  /** {@code dstack volume list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List volumes.")
  static final class ListVolumes implements Callable<Integer> {
    @ParentCommand VolumeCommand parent;
    @Mixin ProjectOptions project;
    @Mixin ListingOptions listing;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return list(spec, parent.projectOf(project), listing);
    }
  }

  /** {@code dstack volume get NAME}: as JSON, or as a table without {@code --json}. */
  @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a volume.")
  static final class GetVolume implements Callable<Integer> {
    @ParentCommand VolumeCommand parent;
    @Mixin ProjectOptions project;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The volume's name.")
    String name;

    @Option(names = "--json", description = "Print the volume as JSON, as the server returns it.")
    boolean json;

    @Override
    public Integer call() {
      try (Dstack dstack = parent.projectOf(project).connect()) {
        JsonNode volume;
        try {
          volume = dstack.api().volumes().get(dstack.project(), name);
        } catch (DstackException.NotFound e) {
          throw new CliException(
              "Volume "
                  + name
                  + " not found in project "
                  + dstack.project()
                  + "; `dstack volume` lists the volumes");
        }
        var out = spec.commandLine().getOut();
        if (json) {
          JsonOutput.print(out, volume);
        } else {
          table(List.of(volume), true, Instant.now()).print(out);
        }
        return ExitCodes.OK;
      }
    }
  }

  /** {@code dstack volume delete NAME}. */
  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a volume.")
  static final class DeleteVolume implements Callable<Integer> {
    @ParentCommand VolumeCommand parent;
    @Mixin ProjectOptions project;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The volume's name.")
    String name;

    @Option(
        names = {"-y", "--yes"},
        description = "Don't ask for confirmation.")
    boolean yes;

    @Override
    public Integer call() {
      var err = spec.commandLine().getErr();
      try (Dstack dstack = parent.projectOf(project).connect()) {
        var volumes = dstack.api().volumes();
        try {
          volumes.get(dstack.project(), name);
        } catch (DstackException.NotFound e) {
          throw new CliException(
              "Volume " + name + " does not exist in project " + dstack.project());
        }
        if (!Prompts.confirm(err, "Delete the volume " + name + "?", yes)) {
          err.println("Exiting...");
          return ExitCodes.OK;
        }
        volumes.delete(dstack.project(), List.of(name));
        spec.commandLine().getOut().println("Volume " + name + " deleted");
        return ExitCodes.OK;
      }
    }
  }
}
