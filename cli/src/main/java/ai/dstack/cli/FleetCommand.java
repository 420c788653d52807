package ai.dstack.cli;

import ai.dstack.core.api.fleets.DeleteFleetInstancesRequest;
import ai.dstack.core.api.fleets.DeleteFleetsRequest;
import ai.dstack.core.api.fleets.GetFleetRequest;
import ai.dstack.core.api.fleets.ListProjectFleetsRequest;
import ai.dstack.core.runs.wire.Fleet;
import ai.dstack.sdk.Dstack;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code dstack fleet}: lists the project's fleets (also {@code fleet list}), shows one as JSON
 * ({@code fleet get}), deletes one or some of its instances ({@code fleet delete}).
 */
@Command(
    name = "fleet",
    mixinStandardHelpOptions = true,
    description = "Manage fleets. Without a subcommand, lists them.",
    subcommands = {
      FleetCommand.ListFleets.class,
      FleetCommand.GetFleet.class,
      FleetCommand.DeleteFleet.class
    })
final class FleetCommand implements Callable<Integer> {

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
        "fleets",
        dstack -> dstack.api().fleets().list(dstack.project(), new ListProjectFleetsRequest(true)),
        FleetTable::of);
  }

  /** {@code dstack fleet list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List fleets.")
  static final class ListFleets implements Callable<Integer> {
    @ParentCommand FleetCommand parent;
    @Mixin ProjectOptions project;
    @Mixin ListingOptions listing;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return list(spec, project.orElse(parent.project), listing);
    }
  }

  /** {@code dstack fleet get NAME}: the fleet as JSON (or as a table without {@code --json}). */
  @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a fleet.")
  static final class GetFleet implements Callable<Integer> {
    @ParentCommand FleetCommand parent;
    @Mixin ProjectOptions project;
    @Spec CommandSpec spec;

    @Parameters(
        arity = "0..1",
        paramLabel = "NAME",
        description = "The fleet's name (PROJECT/NAME for a fleet another project shares).")
    String name;

    @Option(names = "--id", paramLabel = "UUID", description = "The fleet's id, instead of NAME.")
    String id;

    @Option(names = "--json", description = "Print the fleet as JSON, as the server returns it.")
    boolean json;

    @Override
    public Integer call() {
      if ((name == null) == (id == null)) {
        throw new CliException("Give the fleet's NAME or --id UUID (one of them)", ExitCodes.USAGE);
      }
      UUID fleetId = id == null ? null : uuid(id);
      try (Dstack dstack = project.orElse(parent.project).connect()) {
        var reference = EntityReference.parse(name);
        String fleetProject =
            reference == null || reference.project() == null
                ? dstack.project()
                : reference.project();
        var request = new GetFleetRequest(reference == null ? null : reference.name(), fleetId);
        Fleet fleet =
            new NamedResource("Fleet", name != null ? name : id, fleetProject)
                .get(() -> dstack.api().fleets().get(fleetProject, request));
        var out = spec.commandLine().getOut();
        if (json) {
          JsonOutput.print(out, fleet);
        } else {
          FleetTable.of(List.of(fleet), dstack.project(), true, Instant.now()).print(out);
        }
        return ExitCodes.OK;
      }
    }

    private static UUID uuid(String id) {
      try {
        return UUID.fromString(id);
      } catch (IllegalArgumentException e) {
        throw new CliException("Invalid UUID format: " + id, ExitCodes.USAGE);
      }
    }
  }

  /** {@code dstack fleet delete NAME [-i N]...}. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a fleet, or some of its instances (-i). Does not wait for them to end.")
  static final class DeleteFleet implements Callable<Integer> {
    @ParentCommand FleetCommand parent;
    @Mixin ProjectOptions project;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The fleet's name.")
    String name;

    @Option(
        names = {"-i", "--instance"},
        paramLabel = "INSTANCE_NUM",
        description = "An instance to delete (repeatable); without it, the whole fleet.")
    List<Integer> instances;

    @Option(
        names = {"-y", "--yes"},
        description = "Don't ask for confirmation.")
    boolean yes;

    @Override
    public Integer call() {
      NamedResource.ownName(name, "Fleet");
      var out = spec.commandLine().getOut();
      var err = spec.commandLine().getErr();
      try (Dstack dstack = project.orElse(parent.project).connect()) {
        var fleets = dstack.api().fleets();
        var fleet = new NamedResource("Fleet", name, dstack.project());
        fleet.existing(() -> fleets.get(dstack.project(), new GetFleetRequest(name, null)));
        if (instances == null || instances.isEmpty()) {
          if (!fleet.deleteConfirmed(err, yes)) {
            return ExitCodes.OK;
          }
          fleets.delete(dstack.project(), new DeleteFleetsRequest(List.of(name)));
          fleet.sayDeleted(out);
          return ExitCodes.OK;
        }
        if (!Prompts.proceed(
            err, "Delete the fleet " + name + " instances " + instances + "?", yes)) {
          return ExitCodes.OK;
        }
        fleets.deleteInstances(
            dstack.project(), new DeleteFleetInstancesRequest(name, List.copyOf(instances)));
        out.println(fleet + " instances deleted");
        return ExitCodes.OK;
      }
    }
  }
}
