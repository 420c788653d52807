package ai.dstack.cli;

import ai.dstack.core.api.fleets.DeleteFleetsRequest;
import ai.dstack.core.api.fleets.GetFleetRequest;
import ai.dstack.core.runs.wire.InstanceOfferWithAvailability;
import ai.dstack.sdk.Dstack;
import ai.dstack.sdk.api.DstackException;
import ai.dstack.sdk.api.WireJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * {@code dstack apply} of a fleet, volume or gateway configuration, as dstack's configurators do
 * it: the plan ({@code fleets/get_plan}, {@code gateways/get_plan}, or the volume by name), a
 * question, then {@code fleets/apply}, {@code volumes/create} or {@code gateways/apply}. A server
 * that does not support one answers a clear error, which is shown as it is.
 */
final class OtherConfigurations {
  private static final Duration POLL = Duration.ofSeconds(2);

  private final Dstack dstack;
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean yes;
  private final boolean force;
  private final boolean detach;

  OtherConfigurations(
      Dstack dstack, CommandLine commandLine, boolean yes, boolean force, boolean detach) {
    this.dstack = dstack;
    this.out = commandLine.getOut();
    this.err = commandLine.getErr();
    this.yes = yes;
    this.force = force;
    this.detach = detach;
  }

  /** Applies the configuration ({@code name}, when given, replaces its name); the exit code. */
  int apply(ConfigurationFile file, String name) throws InterruptedException {
    var configuration = file.json();
    if (name != null) {
      configuration.put("name", name);
    }
    return switch (file.type()) {
      case "fleet" -> fleet(file, configuration);
      case "volume" -> volume(file, configuration);
      case "gateway" -> gateway(file, configuration);
      default ->
          throw new CliException(
              "dstack apply does not know configurations of type " + file.type());
    };
  }

  // ---- Fleets. ----

  private int fleet(ConfigurationFile file, ObjectNode configuration) throws InterruptedException {
    var api = dstack.api().fleets();
    var project = dstack.project();
    var spec = WireJson.MAPPER.createObjectNode();
    spec.set("configuration", configuration);
    spec.put("configuration_path", file.configurationPath());
    spec.putObject("profile").put("name", "default");
    spec.put("autocreated", false);
    var plan = api.getPlan(project, Map.of("spec", spec));

    var effective =
        plan.hasNonNull("effective_spec") ? plan.get("effective_spec") : plan.get("spec");
    var conf = effective.path("configuration");
    var ssh = conf.hasNonNull("ssh_config");
    var properties =
        new PropertyList()
            .add("Project", plan.path("project_name").asText(project))
            .add("User", text(plan, "user"))
            .add("Configuration", file.name())
            .add("Type", "fleet")
            .add("Fleet type", ssh ? "ssh" : "cloud")
            .add(
                "Nodes",
                ssh
                    ? String.valueOf(conf.path("ssh_config").path("hosts").size())
                    : conf.hasNonNull("nodes") ? nodes(conf.get("nodes")) : "-")
            .add("Placement", conf.hasNonNull("placement") ? conf.get("placement").asText() : "any")
            .add("Backends", joined(conf.get("backends")))
            .add("Regions", joined(conf.get("regions")));
    if (!ssh) {
      properties.add("Spot policy", text(conf, "spot_policy"));
    }
    properties.add("Reservation", text(conf, "reservation"));
    properties.print(err);
    var offers = offers(plan.get("offers"));
    if (!offers.isEmpty()) {
      OffersTable.print(
          err,
          offers.subList(0, Math.min(3, offers.size())),
          plan.path("total_offers").asInt(offers.size()),
          plan.hasNonNull("max_offer_price") ? plan.get("max_offer_price").asDouble() : null);
      err.println();
    }

    var fleetName = text(plan.path("spec").path("configuration"), "name");
    var current = plan.get("current_resource");
    String deleteFirst = null;
    String question;
    if (current == null || current.isNull()) {
      if (fleetName != null) {
        err.println("Fleet " + fleetName + " does not exist yet.");
      }
      question = "Create the fleet?";
    } else if (current.path("spec").equals(effective)) {
      if (yes && !force) {
        err.println(
            "Fleet "
                + fleetName
                + " exists. No configuration changes detected. Use --force to apply anyway.");
        err.flush();
        return ExitCodes.OK;
      }
      err.println("Found fleet " + fleetName + ". No configuration changes detected.");
      deleteFirst = fleetName;
      question = "Re-create the fleet?";
    } else if ("create".equals(text(plan, "action"))) {
      err.println(
          "Found fleet "
              + fleetName
              + ". Configuration changes detected. Cannot update the fleet in-place.");
      deleteFirst = fleetName;
      question = "Re-create the fleet?";
    } else {
      err.println("Found fleet " + fleetName + ". Configuration changes detected.");
      question = "Update the fleet in-place?";
    }
    if (!Prompts.proceed(err, question, yes)) {
      return ExitCodes.OK;
    }
    if (deleteFirst != null) {
      err.println("Deleting fleet " + deleteFirst + "...");
      err.flush();
      api.delete(project, new DeleteFleetsRequest(List.of(deleteFirst)));
      while (true) {
        try {
          api.get(project, new GetFleetRequest(deleteFirst, null));
        } catch (DstackException.NotFound gone) {
          break;
        }
        Thread.sleep(Duration.ofSeconds(1));
      }
    }
    var request = new LinkedHashMap<String, Object>();
    var applied = new LinkedHashMap<String, Object>();
    applied.put("spec", plan.get("spec"));
    applied.put("current_resource", current == null || current.isNull() ? null : current);
    request.put("plan", applied);
    request.put("force", false);
    var fleet = api.apply(project, request);
    if (detach) {
      out.println("Fleet " + fleet.name() + " submitted, detaching...");
      out.flush();
      return ExitCodes.OK;
    }
    while (fleet.instances().stream().anyMatch(i -> isProvisioning(i.status()))) {
      err.println("Fleet " + fleet.name() + ": " + summary(fleet));
      err.flush();
      Thread.sleep(POLL);
      fleet = api.get(project, new GetFleetRequest(fleet.name(), null));
    }
    var failed = fleet.instances().stream().filter(i -> "terminated".equals(i.status())).count();
    out.println("Fleet " + fleet.name() + " " + fleet.status() + ": " + summary(fleet));
    out.flush();
    if (failed > 0) {
      err.println(Terminal.red("Some instances failed; see `dstack fleet` for their errors."));
      err.flush();
      return ExitCodes.FAILURE;
    }
    return ExitCodes.OK;
  }

  private static boolean isProvisioning(String status) {
    return status.equals("pending")
        || status.equals("provisioning")
        || status.equals("terminating");
  }

  private static String summary(ai.dstack.core.runs.wire.Fleet fleet) {
    var counts = new LinkedHashMap<String, Integer>();
    fleet.instances().forEach(i -> counts.merge(i.status(), 1, Integer::sum));
    if (counts.isEmpty()) {
      return "no instances";
    }
    var parts = new ArrayList<String>();
    counts.forEach((status, n) -> parts.add(n + " " + status));
    return String.join(", ", parts);
  }

  private static String nodes(JsonNode nodes) {
    if (!nodes.isObject()) {
      return nodes.asText();
    }
    var min = nodes.path("min");
    var max = nodes.path("max");
    var low = min.isNull() || min.isMissingNode() ? "" : min.asText();
    var high = max.isNull() || max.isMissingNode() ? "" : max.asText();
    return Pretty.range(low, high);
  }

  // ---- Volumes. ----

  private int volume(ConfigurationFile file, ObjectNode configuration) {
    var api = dstack.api().volumes();
    var project = dstack.project();
    var volumeName = text(configuration, "name");
    JsonNode current = null;
    if (volumeName != null) {
      try {
        current = api.get(project, volumeName);
      } catch (DstackException.NotFound absent) {
        current = null;
      }
    }
    new PropertyList()
        .add("Project", project)
        .add("Configuration", file.name())
        .add("Type", "volume")
        .add("Name", volumeName)
        .add("Backend", text(configuration, "backend"))
        .add("Region", text(configuration, "region"))
        .add("Size", text(configuration, "size"))
        .add("Volume ID", text(configuration, "volume_id"))
        .print(err);
    String question;
    if (current == null) {
      if (volumeName != null) {
        err.println("Volume " + volumeName + " does not exist yet.");
      }
      question = "Create the volume?";
    } else {
      if (current.path("configuration").equals(configuration) && yes && !force) {
        err.println(
            "Found volume "
                + volumeName
                + ". No configuration changes detected. Use --force to apply anyway.");
        err.flush();
        return ExitCodes.OK;
      }
      err.println("Found volume " + volumeName + ".");
      question = "Re-create the volume?";
    }
    if (!Prompts.proceed(err, question, yes)) {
      return ExitCodes.OK;
    }
    if (current != null) {
      api.delete(project, List.of(volumeName));
    }
    var volume = api.create(project, Map.of("configuration", configuration));
    out.println(
        "Volume "
            + volume.path("name").asText(volumeName)
            + " submitted ("
            + volume.path("status").asText("submitted")
            + "); follow it with `dstack volume`");
    out.flush();
    return ExitCodes.OK;
  }

  // ---- Gateways. ----

  private int gateway(ConfigurationFile file, ObjectNode configuration) {
    var api = dstack.api().gateways();
    var project = dstack.project();
    var spec = WireJson.MAPPER.createObjectNode();
    spec.set("configuration", configuration);
    spec.put("configuration_path", file.configurationPath());
    var plan = api.getPlan(project, Map.of("spec", spec));
    var gatewayName = text(plan.path("spec").path("configuration"), "name");
    new PropertyList()
        .add("Project", plan.path("project_name").asText(project))
        .add("User", text(plan, "user"))
        .add("Configuration", file.name())
        .add("Type", "gateway")
        .add("Name", gatewayName)
        .add("Backend", text(configuration, "backend"))
        .add("Region", text(configuration, "region"))
        .add("Domain", text(configuration, "domain"))
        .print(err);
    var current = plan.get("current_resource");
    boolean exists = current != null && !current.isNull();
    if (exists
        && current.path("configuration").equals(plan.path("spec").path("configuration"))
        && yes
        && !force) {
      err.println(
          "Found gateway "
              + gatewayName
              + ". No configuration changes detected. Use --force to apply anyway.");
      err.flush();
      return ExitCodes.OK;
    }
    err.println(
        exists
            ? "Found gateway " + gatewayName + "."
            : "Gateway " + gatewayName + " does not exist yet.");
    if (!Prompts.proceed(err, exists ? "Re-create the gateway?" : "Create the gateway?", yes)) {
      return ExitCodes.OK;
    }
    var request = new LinkedHashMap<String, Object>();
    var applied = new LinkedHashMap<String, Object>();
    applied.put("spec", plan.get("spec"));
    applied.put("current_resource", exists ? current : null);
    request.put("plan", applied);
    request.put("force", force);
    var gateway = api.apply(project, request);
    out.println(
        "Gateway "
            + gateway.path("name").asText(gatewayName)
            + " submitted ("
            + gateway.path("status").asText("submitted")
            + "); follow it with `dstack gateway`");
    out.flush();
    return ExitCodes.OK;
  }

  // ---- JSON. ----

  private static List<InstanceOfferWithAvailability> offers(JsonNode offers) {
    var list = new ArrayList<InstanceOfferWithAvailability>();
    if (offers != null && offers.isArray()) {
      for (var offer : offers) {
        try {
          list.add(WireJson.MAPPER.treeToValue(offer, InstanceOfferWithAvailability.class));
        } catch (JsonProcessingException | IllegalArgumentException e) {
          // an offer this client cannot read is left out of the table
        }
      }
    }
    return list;
  }

  private static String text(JsonNode node, String field) {
    var value = node == null ? null : node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static String joined(JsonNode list) {
    if (list == null || !list.isArray() || list.isEmpty()) {
      return null;
    }
    var items = new ArrayList<String>();
    list.forEach(i -> items.add(i.asText()));
    return String.join(", ", items);
  }
}
