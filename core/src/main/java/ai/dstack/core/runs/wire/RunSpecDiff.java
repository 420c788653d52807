package ai.dstack.core.runs.wire;

import ai.dstack.core.configurations.ServiceConfiguration;
import ai.dstack.core.json.Json;
import ai.dstack.core.resources.ResourcesSpec;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What changed between an active run's spec and a new one, and whether the run can take the new
 * spec in place (dstack's {@code check_can_update_run_spec}): the plan's {@code action} is {@code
 * update} when it can, and the CLI then updates (or, with nothing changed, reports "no changes")
 * instead of stopping the run and submitting a new one.
 *
 * @param specFields the run spec's fields that differ ({@code configuration}, {@code repo_data},
 *     {@code merged_profile}, ...)
 * @param configurationFields the configuration's fields that differ ({@code replicas}, {@code
 *     image}, ...)
 */
public record RunSpecDiff(List<String> specFields, List<String> configurationFields) {

  private static final List<String> TOP_LEVEL =
      List.of(
          "run_name",
          "repo_id",
          "repo_data",
          "repo_code_hash",
          "repo_dir",
          "file_archives",
          "working_dir",
          "configuration_path",
          "ssh_key_pub");
  private static final List<String> UPDATABLE_SPEC_FIELDS =
      List.of("configuration_path", "configuration");
  private static final Map<String, List<String>> TYPE_UPDATABLE_SPEC_FIELDS =
      Map.of("service", List.of("repo_data", "repo_code_hash", "file_archives", "working_dir"));
  private static final List<String> UPDATABLE_CONFIGURATION_FIELDS = List.of("priority");
  private static final Map<String, List<String>> TYPE_UPDATABLE_CONFIGURATION_FIELDS =
      Map.of(
          "dev-environment",
          List.of("inactivity_duration"),
          "service",
          List.of(
              "replicas",
              "groups",
              "scaling",
              "gateway",
              "port",
              "probes",
              "resources",
              "volumes",
              "docker",
              "files",
              "image",
              "user",
              "privileged",
              "entrypoint",
              "working_dir",
              "python",
              "nvcc",
              "single_branch",
              "env",
              "shell",
              "commands"));

  public RunSpecDiff {
    specFields = List.copyOf(specFields);
    configurationFields = List.copyOf(configurationFields);
  }

  /** The fields that differ, compared as parsed: the same value written two ways is no change. */
  public static RunSpecDiff between(RunSpec current, RunSpec next) {
    var spec = new ArrayList<String>();
    var currentJson = current.json();
    var nextJson = next.json();
    for (var field : TOP_LEVEL) {
      if (!RunSpecs.sameJson(currentJson.get(field), nextJson.get(field))) {
        spec.add(field);
      }
    }
    var configuration = configurationChanges(current, next);
    if (!configuration.isEmpty()) {
      spec.add("configuration");
    }
    if (!Objects.equals(RunSpecs.rawProfile(current), RunSpecs.rawProfile(next))) {
      spec.add("profile");
    }
    if (!current.profile().equals(next.profile())) {
      spec.add("merged_profile");
    }
    return new RunSpecDiff(spec, configuration);
  }

  /** Whether nothing changed. */
  public boolean isEmpty() {
    return specFields.isEmpty();
  }

  /**
   * Whether an active run with spec {@code current} can take {@code next} in place: only the fields
   * dstack updates in place changed (for any run: the configuration's path and priority; for
   * services also the replicas, scaling, gateway and what a rolling deployment changes; for dev
   * environments the inactivity duration), and resources only in ways the job still satisfies.
   * Nothing changed is an update too.
   */
  public static boolean canUpdateInPlace(RunSpec current, RunSpec next) {
    if (!current.type().equals(next.type())) {
      return false;
    }
    var diff = between(current, next);
    var type = next.type();
    var updatableSpec = new LinkedHashSet<>(UPDATABLE_SPEC_FIELDS);
    updatableSpec.addAll(TYPE_UPDATABLE_SPEC_FIELDS.getOrDefault(type, List.of()));
    if (!updatableSpec.containsAll(diff.specFields())) {
      return false;
    }
    if (current.configuration() instanceof ServiceConfiguration a
        && next.configuration() instanceof ServiceConfiguration b
        && !Objects.equals(routerGroup(a), routerGroup(b))) {
      return false;
    }
    var updatable = new LinkedHashSet<>(UPDATABLE_CONFIGURATION_FIELDS);
    updatable.addAll(TYPE_UPDATABLE_CONFIGURATION_FIELDS.getOrDefault(type, List.of()));
    if (RunSpecs.sameJson(
        currentJson(current, "file_archives"), currentJson(next, "file_archives"))) {
      updatable.add("files"); // the same archives: files moved locally, same content and path
    }
    if (current.configuration() instanceof ServiceConfiguration a
        && next.configuration() instanceof ServiceConfiguration b
        && isDefaultHttps(a)
        && isDefaultHttps(b)) {
      updatable.add("https");
    }
    if (!updatable.contains("resources")
        && compatibleResources(current.params().resources(), next.params().resources())) {
      updatable.add("resources");
    }
    return updatable.containsAll(diff.configurationFields());
  }

  private static JsonNode currentJson(RunSpec spec, String field) {
    return spec.json().get(field);
  }

  private static List<String> configurationChanges(RunSpec current, RunSpec next) {
    JsonNode a = Json.MAPPER.valueToTree(current.configuration());
    JsonNode b = Json.MAPPER.valueToTree(next.configuration());
    var fields = new LinkedHashSet<String>();
    a.fieldNames().forEachRemaining(fields::add);
    b.fieldNames().forEachRemaining(fields::add);
    var changed = new ArrayList<String>();
    for (var field : fields) {
      if (!RunSpecs.sameJson(a.get(field), b.get(field))) {
        changed.add(field);
      }
    }
    return changed;
  }

  private static String routerGroup(ServiceConfiguration service) {
    return Groups.replicaGroups(service).stream()
        .filter(g -> g.router() != null)
        .map(g -> g.name())
        .findFirst()
        .orElse(null);
  }

  private static boolean isDefaultHttps(ServiceConfiguration service) {
    return service.https() == null || Boolean.TRUE.equals(service.https().enabled());
  }

  /** A job placed with {@code current} resources satisfies {@code next}: only a CPU arch unset. */
  private static boolean compatibleResources(ResourcesSpec current, ResourcesSpec next) {
    if (Objects.equals(current, next)) {
      return true;
    }
    if (current == null || next == null || current.cpu() == null || next.cpu() == null) {
      return false;
    }
    var sameButCpu =
        Objects.equals(current.memory(), next.memory())
            && Objects.equals(current.shmSize(), next.shmSize())
            && Objects.equals(current.gpu(), next.gpu())
            && Objects.equals(current.disk(), next.disk());
    return sameButCpu
        && Objects.equals(current.cpu().count(), next.cpu().count())
        && next.cpu().arch() == null;
  }
}
