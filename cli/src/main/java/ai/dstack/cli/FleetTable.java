package ai.dstack.cli;

import static ai.dstack.cli.JsonFields.text;

import ai.dstack.core.runs.wire.Fleet;
import ai.dstack.core.runs.wire.Instance;
import ai.dstack.core.runs.wire.JobSpec;
import ai.dstack.sdk.api.WireJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fleets table of {@code dstack fleet}, laid out as dstack's: a row per fleet (what was asked
 * for) followed by a row per instance (what exists), newest fleet first.
 */
final class FleetTable {
  private FleetTable() {}

  private static final Set<String> AVAILABLE = Set.of("idle", "busy");

  /** The table of {@code fleets} seen from {@code currentProject}, at {@code now}. */
  static Table of(List<Fleet> fleets, String currentProject, boolean verbose, Instant now) {
    var headers = new ArrayList<>(List.of("NAME", "NODES"));
    if (verbose) {
      headers.addAll(List.of("RESOURCES", "DRIVER"));
    } else {
      headers.add("GPU");
    }
    headers.addAll(List.of("SPOT", "BACKEND", "PRICE", "STATUS", "CREATED"));
    if (verbose) {
      headers.add("ERROR");
    }
    var table = new Table(headers.toArray(String[]::new));
    var sorted = new ArrayList<>(fleets);
    sorted.sort(Comparator.comparing(Fleet::createdAt).reversed());
    for (Fleet fleet : sorted) {
      addRow(table, headers, fleetRow(fleet, currentProject, verbose, now));
      for (Instance instance : fleet.instances()) {
        addRow(table, headers, instanceRow(instance, verbose, now));
      }
    }
    return table;
  }

  private static void addRow(Table table, List<String> headers, Map<String, String> row) {
    table.row(headers.stream().map(h -> row.getOrDefault(h, "")).toArray());
  }

  private static Map<String, String> fleetRow(
      Fleet fleet, String currentProject, boolean verbose, Instant now) {
    JsonNode spec = fleet.spec();
    JsonNode configuration = spec.path("configuration");
    JsonNode profile = spec.path("merged_profile");
    var row = new LinkedHashMap<String, String>();
    String nodes;
    JsonNode sshConfig = configuration.path("ssh_config");
    if (!sshConfig.isMissingNode() && !sshConfig.isNull()) {
      // Existing hosts: as many nodes as hosts, nothing billed.
      nodes = Integer.toString(sshConfig.path("hosts").size());
      row.put("BACKEND", "ssh");
    } else {
      nodes = nodes(configuration.path("nodes"));
      JsonNode resources = configuration.path("resources");
      row.put("RESOURCES", requirements(resources));
      row.put("GPU", fleetGpu(resources));
      row.put("BACKEND", backends(configuration.path("backends")));
      row.put("SPOT", text(profile.path("spot_policy")));
      JsonNode maxPrice = profile.path("max_price");
      row.put("PRICE", maxPrice.isNumber() ? "$0.." + Pretty.amount(maxPrice.asDouble()) : "");
    }
    if (verbose && "cluster".equals(text(configuration.path("placement")))) {
      nodes += " (cluster)";
    }
    row.put(
        "NAME",
        fleet.projectName().equals(currentProject)
            ? fleet.name()
            : fleet.projectName() + "/" + fleet.name());
    row.put("NODES", nodes);
    row.put("STATUS", fleet.status());
    row.put("CREATED", Pretty.ago(fleet.createdAt(), now));
    return row;
  }

  private static Map<String, String> instanceRow(Instance instance, boolean verbose, Instant now) {
    var row = new LinkedHashMap<String, String>();
    boolean ssh = "remote".equals(instance.backend());
    row.put("NAME", "   instance=" + instance.instanceNum());
    String where =
        verbose && instance.availabilityZone() != null && !instance.availabilityZone().isEmpty()
            ? instance.availabilityZone()
            : instance.region();
    row.put("BACKEND", Pretty.backend(instance.backend(), where));
    var resources = instance.instanceType() == null ? null : instance.instanceType().resources();
    // Hosts of an SSH fleet report their resources once provisioned.
    boolean known =
        resources != null
            && !(ssh && Set.of("pending", "provisioning").contains(instance.status()));
    row.put("RESOURCES", known ? Pretty.resources(resources) : "");
    row.put("GPU", known ? Pretty.gpus(resources) : "");
    row.put("DRIVER", instance.gpuDriver() == null ? "" : instance.gpuDriver().version());
    if (!ssh) {
      row.put("SPOT", resources == null ? "" : resources.spot() ? "spot" : "on-demand");
      row.put("PRICE", instance.price() == null ? "" : Pretty.price(instance.price()));
    }
    row.put("STATUS", instanceStatus(instance));
    row.put("CREATED", Pretty.ago(instance.created(), now));
    if ("terminated".equals(instance.status()) && instance.terminationReason() != null) {
      row.put("ERROR", instance.terminationReason());
    }
    return row;
  }

  private static String instanceStatus(Instance instance) {
    String status = instance.status();
    boolean available = AVAILABLE.contains(status);
    Integer total = instance.totalBlocks();
    String text =
        available && total != null && total > 1
            ? instance.busyBlocks() + "/" + total + " busy"
            : status;
    if (available) {
      if (instance.unreachable()) {
        text += " (unreachable)";
      } else if (!"healthy".equals(instance.healthStatus())) {
        text += " (" + instance.healthStatus() + ")";
      }
    }
    return text;
  }

  private static String backends(JsonNode backends) {
    if (!backends.isArray() || backends.isEmpty()) {
      return "*";
    }
    var names = new ArrayList<String>();
    backends.forEach(b -> names.add(b.asText().replace("remote", "ssh")));
    return String.join(", ", names);
  }

  private static String nodes(JsonNode nodes) {
    if (nodes.isNumber()) {
      return nodes.asText();
    }
    if (!nodes.isObject()) {
      return "";
    }
    return Pretty.range(text(nodes.path("min")), text(nodes.path("max")));
  }

  /** A fleet's resource requirements as dstack prints them; empty when they cannot be read. */
  private static String requirements(JsonNode resources) {
    if (!resources.isObject()) {
      return "";
    }
    try {
      var requirements =
          WireJson.MAPPER.treeToValue(
              WireJson.MAPPER.createObjectNode().set("resources", resources),
              JobSpec.Requirements.class);
      return requirements.resources() == null ? "" : requirements.describe();
    } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
      return "";
    }
  }

  /** The GPU part of a fleet's requirements: {@code H100:80GB:2}, {@code gpu:1..}, or empty. */
  private static String fleetGpu(JsonNode resources) {
    JsonNode gpu = resources.path("gpu");
    JsonNode count = gpu.path("count");
    if (!gpu.isObject() || !count.isObject()) {
      return "";
    }
    JsonNode min = count.path("min");
    JsonNode max = count.path("max");
    if (min.asDouble(0) == 0 && (max.isMissingNode() || max.isNull() || max.asDouble() == 0)) {
      return "";
    }
    var parts = new ArrayList<String>();
    var names = new ArrayList<String>();
    gpu.path("name").forEach(n -> names.add(n.asText()));
    parts.add(names.isEmpty() ? "gpu" : String.join(",", names));
    String memory = range(gpu.path("memory"), true);
    if (!memory.isEmpty()) {
      parts.add(memory);
    }
    String counts = range(count, false);
    if (!counts.isEmpty()) {
      parts.add(counts);
    }
    return String.join(":", parts);
  }

  private static String range(JsonNode range, boolean memory) {
    if (!range.isObject()) {
      return "";
    }
    String min = bound(range.path("min"), memory);
    String max = bound(range.path("max"), memory);
    return min.isEmpty() && max.isEmpty() ? "" : Pretty.range(min, max);
  }

  private static String bound(JsonNode value, boolean memory) {
    if (!value.isNumber()) {
      return "";
    }
    return memory ? Pretty.decimal(value.asDouble()) + "GB" : value.asText();
  }
}
