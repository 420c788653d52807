package ai.dstack.cli;

import static ai.dstack.cli.JsonFields.instant;
import static ai.dstack.cli.JsonFields.text;

import ai.dstack.sdk.Dstack;
import ai.dstack.sdk.api.DstackException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code dstack gateway}: the project's gateways (what publishes services). Lists them (also {@code
 * gateway list}), shows one ({@code gateway get}), deletes one ({@code gateway delete}).
 */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description = "Manage gateways. Without a subcommand, lists them.",
    subcommands = {
      GatewayCommand.ListGateways.class,
      GatewayCommand.GetGateway.class,
      GatewayCommand.DeleteGateway.class
    })
final class GatewayCommand implements Callable<Integer> {

  @Mixin ProjectOptions project;
  @Mixin ListingOptions listing;
  @Mixin Format format;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return list(spec, project, listing, format);
  }

  /** {@code --format plain|json}, dstack's longer form of {@code --json} for gateways. */
  static final class Format {
    enum Kind {
      plain,
      json
    }

    @Option(
        names = "--format",
        paramLabel = "FORMAT",
        description = "Output format: ${COMPLETION-CANDIDATES} (default: plain).")
    Kind kind;
  }

  static int list(CommandSpec spec, ProjectOptions project, ListingOptions listing, Format format) {
    if (format.kind == Format.Kind.json) {
      listing.json = true;
    }
    return listing.print(
        spec,
        project,
        "gateways",
        dstack -> dstack.api().gateways().list(dstack.project()),
        GatewayCommand::table);
  }

  /**
   * dstack's gateways table: NAME, BACKEND, HOSTNAME, DOMAIN, DEFAULT, STATUS (CREATED and ERROR
   * with {@code verbose}); a gateway of several replicas gets a row per replica.
   */
  static Table table(List<JsonNode> gateways, String currentProject, boolean verbose, Instant now) {
    var headers =
        new ArrayList<>(List.of("NAME", "BACKEND", "HOSTNAME", "DOMAIN", "DEFAULT", "STATUS"));
    if (verbose) {
      headers.addAll(List.of("CREATED", "ERROR"));
    }
    var table = new Table(headers.toArray(String[]::new));
    for (JsonNode gateway : gateways) {
      String project = text(gateway.path("project_name"));
      String name = text(gateway.path("name"));
      var row = new LinkedHashMap<String, String>();
      row.put(
          "NAME",
          project.isEmpty() || project.equals(currentProject) ? name : project + "/" + name);
      row.put("DOMAIN", text(gateway.path("wildcard_domain")));
      row.put("DEFAULT", gateway.path("default").asBoolean(false) ? "✓" : "");
      row.put("STATUS", text(gateway.path("status")));
      row.put("CREATED", Pretty.ago(instant(gateway.path("created_at")), now));
      row.put("ERROR", text(gateway.path("status_message")));
      String hostname = text(gateway.path("hostname"));
      JsonNode replicas = gateway.path("replicas");
      int replicaCount = replicas.isArray() ? replicas.size() : 0;
      if (replicaCount == 0) {
        JsonNode configuration = gateway.path("configuration");
        row.put(
            "BACKEND",
            backend(text(configuration.path("backend")), text(configuration.path("region"))));
        row.put("HOSTNAME", hostname.isEmpty() ? text(gateway.path("ip_address")) : hostname);
      } else {
        row.put("HOSTNAME", hostname);
      }
      boolean singleRow = replicaCount == 1 && !(verbose && !hostname.isEmpty());
      if (singleRow) {
        JsonNode replica = replicas.get(0);
        row.put("BACKEND", backend(text(replica.path("backend")), text(replica.path("region"))));
        if (hostname.isEmpty()) {
          row.put("HOSTNAME", text(replica.path("hostname")));
        }
        String replicaStatus = text(replica.path("status"));
        if (!replicaStatus.isEmpty()) {
          row.put("STATUS", replicaStatus);
        }
        var messages = new ArrayList<String>();
        for (String message :
            List.of(text(gateway.path("status_message")), text(replica.path("status_message")))) {
          if (!message.isEmpty()) {
            messages.add(message);
          }
        }
        row.put("ERROR", String.join(". ", messages));
      }
      add(table, headers, row);
      if (!singleRow && replicas.isArray()) {
        for (JsonNode replica : replicas) {
          var replicaRow = new LinkedHashMap<String, String>();
          replicaRow.put("NAME", "   replica=" + text(replica.path("replica_num")));
          replicaRow.put(
              "BACKEND", backend(text(replica.path("backend")), text(replica.path("region"))));
          replicaRow.put("HOSTNAME", text(replica.path("hostname")));
          replicaRow.put("STATUS", text(replica.path("status")));
          replicaRow.put("CREATED", Pretty.ago(instant(replica.path("created_at")), now));
          replicaRow.put("ERROR", text(replica.path("status_message")));
          add(table, headers, replicaRow);
        }
      }
    }
    return table;
  }

  private static String backend(String backend, String region) {
    return Pretty.backend(backend.isEmpty() ? null : backend, region);
  }

  private static void add(Table table, List<String> headers, Map<String, String> row) {
    table.row(headers.stream().map(h -> row.getOrDefault(h, "")).toArray());
  }

  /** A gateway by name; one another project shares is found in this project's listing. */
  private static JsonNode find(Dstack dstack, EntityReference reference) {
    String project = reference.project() == null ? dstack.project() : reference.project();
    try {
      if (project.equals(dstack.project())) {
        return dstack.api().gateways().get(project, reference.name());
      }
      for (JsonNode gateway : dstack.api().gateways().list(dstack.project())) {
        if (reference.name().equals(text(gateway.path("name")))
            && project.equals(text(gateway.path("project_name")))) {
          return gateway;
        }
      }
    } catch (DstackException.NotFound e) {
      // reported below
    }
    return null;
  }

  /** {@code dstack gateway list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List gateways.")
  static final class ListGateways implements Callable<Integer> {
    @ParentCommand GatewayCommand parent;
    @Mixin ProjectOptions project;
    @Mixin ListingOptions listing;
    @Mixin Format format;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return list(spec, project.orElse(parent.project), listing, format);
    }
  }

  /** {@code dstack gateway get NAME}: as JSON, or as a table without {@code --json}. */
  @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a gateway.")
  static final class GetGateway implements Callable<Integer> {
    @ParentCommand GatewayCommand parent;
    @Mixin ProjectOptions project;
    @Spec CommandSpec spec;

    @Parameters(
        paramLabel = "NAME",
        description = "The gateway's name (PROJECT/NAME for one another project shares).")
    String name;

    @Option(names = "--json", description = "Print the gateway as JSON, as the server returns it.")
    boolean json;

    @Override
    public Integer call() {
      var reference = EntityReference.parse(name);
      try (Dstack dstack = project.orElse(parent.project).connect()) {
        JsonNode gateway = find(dstack, reference);
        if (gateway == null) {
          throw new NamedResource("Gateway", name, dstack.project()).notFound();
        }
        var out = spec.commandLine().getOut();
        if (json) {
          JsonOutput.print(out, gateway);
        } else {
          table(List.of(gateway), dstack.project(), true, Instant.now()).print(out);
        }
        return ExitCodes.OK;
      }
    }
  }

  /** {@code dstack gateway delete NAME}. */
  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a gateway.")
  static final class DeleteGateway implements Callable<Integer> {
    @ParentCommand GatewayCommand parent;
    @Mixin ProjectOptions project;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The gateway's name.")
    String name;

    @Option(
        names = {"-y", "--yes"},
        description = "Don't ask for confirmation.")
    boolean yes;

    @Override
    public Integer call() {
      NamedResource.ownName(name, "Gateway");
      var out = spec.commandLine().getOut();
      var err = spec.commandLine().getErr();
      try (Dstack dstack = project.orElse(parent.project).connect()) {
        var resource = new NamedResource("Gateway", name, dstack.project());
        JsonNode gateway = find(dstack, EntityReference.parse(name));
        if (gateway == null) {
          throw resource.doesNotExist();
        }
        table(List.of(gateway), dstack.project(), false, Instant.now()).print(out);
        if (!resource.deleteConfirmed(err, yes)) {
          return ExitCodes.OK;
        }
        dstack.api().gateways().delete(dstack.project(), List.of(name));
        resource.sayDeleted(out);
        return ExitCodes.OK;
      }
    }
  }
}
