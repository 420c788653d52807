package ai.dstack.cli;

import static ai.dstack.cli.JsonFields.instant;
import static ai.dstack.cli.JsonFields.text;

import ai.dstack.sdk.Dstack;
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
    return listing.print(
        spec,
        project,
        "volumes",
        dstack -> dstack.api().volumes().list(dstack.project()),
        (volumes, currentProject, verbose, now) -> table(volumes, verbose, now));
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
      row.put("CREATED", Pretty.ago(instant(volume.path("created_at")), now));
      row.put("ERROR", text(volume.path("status_message")));
      table.row(headers.stream().map(row::get).toArray());
    }
    return table;
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
      return list(spec, project.orElse(parent.project), listing);
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
      try (Dstack dstack = project.orElse(parent.project).connect()) {
        JsonNode volume =
            new NamedResource("Volume", name, dstack.project())
                .get(() -> dstack.api().volumes().get(dstack.project(), name));
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
      try (Dstack dstack = project.orElse(parent.project).connect()) {
        var volumes = dstack.api().volumes();
        var volume = new NamedResource("Volume", name, dstack.project());
        volume.existing(() -> volumes.get(dstack.project(), name));
        if (!volume.deleteConfirmed(err, yes)) {
          return ExitCodes.OK;
        }
        volumes.delete(dstack.project(), List.of(name));
        volume.sayDeleted(spec.commandLine().getOut());
        return ExitCodes.OK;
      }
    }
  }
}
