package ai.dstack.core.runs.wire;

import ai.dstack.core.configurations.Configuration;
import ai.dstack.core.configurations.ConfigurationParser;
import ai.dstack.core.configurations.DevEnvironmentConfiguration;
import ai.dstack.core.configurations.ProbeConfig;
import ai.dstack.core.configurations.RunParams;
import ai.dstack.core.configurations.ServiceConfiguration;
import ai.dstack.core.configurations.TaskConfiguration;
import ai.dstack.core.json.Json;
import ai.dstack.core.profiles.ProfileParams;
import ai.dstack.core.profiles.Retry;
import ai.dstack.core.resources.GpuSpec;
import ai.dstack.core.resources.ResourcesSpec;
import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.FieldPath;
import ai.dstack.core.yaml.InvalidConfigurationException;
import ai.dstack.core.yaml.Node;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Problems;
import ai.dstack.core.yaml.Readers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads run specs as clients send them and gives them the server's defaults, as dstack's server
 * does on {@code runs/get_plan} and {@code runs/apply} ({@code validate_run_spec_and_set_defaults}
 * in {@code services/runs/spec.py}). Defaults are written into the spec's JSON, so the stored spec
 * and the plan's effective spec read back, in the client's models, as the same spec: re-applying
 * the same file shows no changes.
 */
public final class RunSpecs {
  private RunSpecs() {}

  /** The repo id of the virtual repo, used when a run has no repo. */
  public static final String VIRTUAL_REPO_ID = "none";

  /** The run priority when the configuration sets none. */
  public static final long DEFAULT_PRIORITY = 0;

  /**
   * The longest {@code utilization_policy.time_window}, in seconds: how long dstack's server keeps
   * running jobs' metrics ({@code DSTACK_SERVER_METRICS_RUNNING_TTL_SECONDS}).
   */
  public static final long MAX_UTILIZATION_TIME_WINDOW = 3600;

  /** The most probes a service may have ({@code DSTACK_SERVER_MAX_PROBES_PER_JOB}). */
  public static final int MAX_PROBES_PER_JOB = 10;

  /** The longest probe timeout, in seconds ({@code DSTACK_SERVER_MAX_PROBE_TIMEOUT}). */
  public static final long MAX_PROBE_TIMEOUT = 300;

  /** dstack's resource names: run names among them. */
  public static final Pattern RESOURCE_NAME = Pattern.compile("^[a-z][a-z0-9-]{1,40}$");

  private static final Set<String> RUN_TYPES =
      Set.of(TaskConfiguration.TYPE, DevEnvironmentConfiguration.TYPE, ServiceConfiguration.TYPE);

  private static final Field<String> PROFILE_NAME =
      Field.required("name", Readers.STRING, "The profile name");
  private static final Field<Boolean> PROFILE_DEFAULT =
      Field.of("default", Readers.BOOLEAN, "Whether the profile is the default one");
  private static final ObjectSpec PROFILE =
      ObjectSpec.of("a profile", PROFILE_NAME, PROFILE_DEFAULT).with(ProfileParams.RUN_FIELDS);

  private static final Pattern DOCKER_TARGET_PATH = Pattern.compile("^(/[^/\\x00]*)+/?$");

  /**
   * The JSON of a run spec as dstack's CLI sends it for a run configuration: the virtual repo (runs
   * here carry no code), the run name from the configuration's {@code name}, no profile, and no SSH
   * key (the server fills in the user's).
   *
   * @param configuration the configuration's JSON, taken as is (not copied)
   * @param configurationPath the spec's {@code configuration_path}, or null
   */
  public static ObjectNode virtualRepoSpec(ObjectNode configuration, String configurationPath) {
    var spec = Json.MAPPER.createObjectNode();
    var name = configuration.path("name");
    if (name.isTextual()) {
      spec.put("run_name", name.asText());
    } else {
      spec.putNull("run_name");
    }
    spec.put("repo_id", VIRTUAL_REPO_ID);
    spec.putObject("repo_data").put("repo_type", "virtual");
    spec.putNull("repo_code_hash");
    spec.putNull("repo_dir");
    spec.putArray("file_archives");
    spec.putNull("working_dir");
    spec.put("configuration_path", configurationPath);
    spec.set("configuration", configuration);
    spec.putNull("profile");
    spec.putNull("ssh_key_pub");
    return spec;
  }

  /**
   * The JSON of the run spec {@code dstack offer} plans: a task asking anything ({@code cpu: 1..},
   * {@code memory: 0GB..}, {@code gpu: 0..}, any disk) on the image {@code scratch}, which the
   * server never pulls. Callers write what they ask over its {@code configuration.resources}.
   */
  public static ObjectNode offersSpec() {
    var configuration = Json.MAPPER.createObjectNode();
    configuration.put("type", TaskConfiguration.TYPE);
    configuration.putArray("commands").add(":");
    configuration.put("image", "scratch");
    configuration.put("user", "root");
    var resources = configuration.putObject("resources");
    resources.putObject("cpu").putObject("count").put("min", 1);
    resources.putObject("memory").put("min", 0.0);
    resources.putObject("gpu").putObject("count").put("min", 0);
    resources.putNull("disk");
    var spec = Json.MAPPER.createObjectNode();
    spec.putNull("run_name");
    spec.putNull("repo_id");
    spec.putNull("repo_data");
    spec.putNull("configuration_path");
    spec.set("configuration", configuration);
    spec.putNull("profile");
    spec.putNull("ssh_key_pub");
    return spec;
  }

  /**
   * Reads a run spec as a client sends it ({@code GetRunPlanRequest.run_spec}), or as stored.
   *
   * @throws InvalidConfigurationException when the configuration or profile does not validate:
   *     every problem, with its field path (the file named is the spec's {@code
   *     configuration_path}, else {@code run_spec.configuration})
   * @throws InvalidRunSpecException when the spec is not an object with a run configuration
   */
  public static RunSpec parse(JsonNode runSpec) {
    if (runSpec == null || !runSpec.isObject()) {
      throw new InvalidRunSpecException("run_spec must be an object");
    }
    var json = (ObjectNode) runSpec;
    var configurationNode = json.get("configuration");
    if (configurationNode == null || configurationNode.isNull()) {
      throw new InvalidRunSpecException("run_spec.configuration is required");
    }
    var path = json.path("configuration_path");
    var file = path.isTextual() ? path.asText() : "run_spec.configuration";
    var problems = new Problems(file);
    var configuration = ConfigurationParser.read(JsonNodes.toNode(configurationNode), problems);
    if (configuration != null && !RUN_TYPES.contains(configuration.type())) {
      problems.add(
          Node.Mark.NONE,
          FieldPath.ROOT.child("type"),
          "\""
              + configuration.type()
              + "\" is not a run configuration; a run is a task, dev-environment or service");
    }
    var profileProblems = new Problems("run_spec");
    ProfileParams profile = null;
    var profileNode = json.get("profile");
    if (profileNode != null && !profileNode.isNull()) {
      var values =
          PROFILE.read(
              JsonNodes.toNode(profileNode), FieldPath.ROOT.child("profile"), profileProblems);
      profile = values == null ? null : ProfileParams.read(values);
    }
    var errors = new ArrayList<>(problems.errors());
    errors.addAll(profileProblems.errors());
    if (!errors.isEmpty()) {
      throw new InvalidConfigurationException(errors);
    }
    return new RunSpec(json, configuration, merge(profile, profileOf(configuration)));
  }

  /**
   * The spec with the server's defaults, checked as dstack's server checks it on plan and apply:
   * {@code repo_id} {@code none} and a virtual {@code repo_data} when absent, {@code priority} 0,
   * {@code nodes} 1 for a task without groups, the GPU spec and its vendor where the image tells it
   * (NVIDIA on dstack's image), and {@code ssh_key_pub} the user's key. Applying it twice changes
   * nothing more. The run name is left as sent: a run without one is named on submission ({@link
   * #withRunName}).
   *
   * @param userSshPublicKey the submitting user's public key, or null if they have none
   * @throws InvalidRunSpecException with dstack's message when the server refuses the spec
   */
  public static RunSpec withDefaults(RunSpec spec, String userSshPublicKey) {
    var json = spec.json();
    var configuration = spec.configuration();
    var params = spec.params();
    var runName = spec.runName();
    if (runName != null) {
      checkRunName(runName);
    }
    if (spec.profile().retry() instanceof Retry.Policy p
        && p.duration() != null
        && p.duration() < 0) {
      throw new InvalidRunSpecException("retry.duration cannot be negative");
    }
    GroupRefs.check(configuration);
    for (var mount : params.volumes()) {
      if (!isValidVolumeTarget(mount.path())) {
        throw new InvalidRunSpecException("Invalid volume mount path: " + mount.path());
      }
    }
    var repoId = spec.repoId();
    var repoData = spec.repoData();
    if (repoId == null && repoData != null) {
      throw new InvalidRunSpecException("repo_data must not be set if repo_id is not set");
    }
    if (repoId != null && repoData == null) {
      throw new InvalidRunSpecException("repo_id must not be set if repo_data is not set");
    }
    if (repoId == null) {
      json.put("repo_id", VIRTUAL_REPO_ID);
    }
    if (repoData == null) {
      json.putObject("repo_data").put("repo_type", "virtual");
    }
    var utilization = spec.profile().utilizationPolicy();
    if (utilization != null && utilization.timeWindow() > MAX_UTILIZATION_TIME_WINDOW) {
      throw new InvalidRunSpecException(
          "Maximum utilization_policy.time_window is " + MAX_UTILIZATION_TIME_WINDOW + "s");
    }
    if (configuration instanceof ServiceConfiguration service) {
      checkService(service, spec.profile());
    }
    var conf = (ObjectNode) json.get("configuration");
    if (params.priority() == null) {
      conf.put("priority", DEFAULT_PRIORITY);
    }
    if (configuration instanceof TaskConfiguration task
        && task.groups() == null
        && task.nodes() == null) {
      conf.put("nodes", 1);
    }
    setResourcesDefaults(conf, configuration);
    GpuVendors.checkImage(configuration);
    checkCpuArch(configuration);
    if (spec.sshKeyPub() == null) {
      if (userSshPublicKey == null || userSshPublicKey.isEmpty()) {
        throw new InvalidRunSpecException(
            "ssh_key_pub must be set if the user has no ssh_public_key");
      }
      json.put("ssh_key_pub", userSshPublicKey);
    }
    return parse(json);
  }

  /**
   * The spec named {@code runName}: what the server does on submission to a spec without a name
   * ({@link RunNames}).
   *
   * @throws InvalidRunSpecException when the name is not a valid run name
   */
  public static RunSpec withRunName(RunSpec spec, String runName) {
    checkRunName(runName);
    var json = spec.json();
    json.put("run_name", runName);
    return new RunSpec(json, spec.configuration(), spec.profile());
  }

  /**
   * Whether two specs are the same spec as dstack's models compare them, however each was written
   * ({@link RunSpecDiff#between} finds no change). Use it where dstack compares run specs: a plan's
   * {@code current_resource.run_spec} (the client's re-serialization of the stored spec) against
   * the stored spec on apply.
   */
  public static boolean equivalent(RunSpec a, RunSpec b) {
    return RunSpecDiff.between(a, b).isEmpty();
  }

  /** JSON equality where numbers equal by value and null, absent and [] are all unset. */
  static boolean sameJson(JsonNode a, JsonNode b) {
    var left = unset(a) ? null : a;
    var right = unset(b) ? null : b;
    if (left == null || right == null) {
      return left == right;
    }
    return left.equals(
        (x, y) ->
            x.isNumber() && y.isNumber()
                ? x.decimalValue().compareTo(y.decimalValue())
                : x.equals(y) ? 0 : 1,
        right);
  }

  private static boolean unset(JsonNode node) {
    return node == null || node.isNull() || node.isArray() && node.isEmpty();
  }

  /** A spec's own {@code profile}, as parsed (not merged), or null without one. */
  record RawProfile(String name, Boolean isDefault, ProfileParams params) {}

  static RawProfile rawProfile(RunSpec spec) {
    var node = spec.json().get("profile");
    if (node == null || node.isNull()) {
      return null;
    }
    var values =
        PROFILE.read(
            JsonNodes.toNode(node), FieldPath.ROOT.child("profile"), new Problems("run_spec"));
    return values == null
        ? null
        : new RawProfile(
            values.get(PROFILE_NAME),
            values.get(PROFILE_DEFAULT, false),
            ProfileParams.read(values));
  }

  /** The container fields of a run configuration. */
  static RunParams paramsOf(Configuration configuration) {
    return switch (configuration) {
      case TaskConfiguration t -> t.run();
      case DevEnvironmentConfiguration d -> d.run();
      case ServiceConfiguration s -> s.run();
      default -> throw new IllegalArgumentException("not a run configuration: " + configuration);
    };
  }

  /** The profile parameters a configuration sets. */
  static ProfileParams profileOf(Configuration configuration) {
    return switch (configuration) {
      case TaskConfiguration t -> t.profile();
      case DevEnvironmentConfiguration d -> d.profile();
      case ServiceConfiguration s -> s.profile();
      case null, default -> ProfileParams.NONE;
    };
  }

  /**
   * dstack's {@code merged_profile}: the profile's parameters, overridden by the configuration's.
   */
  static ProfileParams merge(ProfileParams profile, ProfileParams conf) {
    var p = profile == null ? ProfileParams.NONE : profile;
    return new ProfileParams(
        or(conf.backends(), p.backends()),
        or(conf.regions(), p.regions()),
        or(conf.availabilityZones(), p.availabilityZones()),
        or(conf.instanceTypes(), p.instanceTypes()),
        or(conf.reservation(), p.reservation()),
        or(conf.spotPolicy(), p.spotPolicy()),
        or(conf.retry(), p.retry()),
        or(conf.maxDuration(), p.maxDuration()),
        or(conf.stopDuration(), p.stopDuration()),
        or(conf.maxPrice(), p.maxPrice()),
        or(or(conf.creationPolicy(), p.creationPolicy()), "reuse-or-create"),
        or(conf.idleDuration(), p.idleDuration()),
        or(conf.utilizationPolicy(), p.utilizationPolicy()),
        or(conf.startupOrder(), p.startupOrder()),
        or(conf.stopCriteria(), p.stopCriteria()),
        or(conf.schedule(), p.schedule()),
        or(conf.fleets(), p.fleets()),
        or(conf.instances(), p.instances()),
        or(conf.tags(), p.tags()),
        or(conf.backendOptions(), p.backendOptions()));
  }

  private static <T> T or(T first, T second) {
    return first != null ? first : second;
  }

  private static void checkRunName(String runName) {
    if (runName == null || !RESOURCE_NAME.matcher(runName).matches()) {
      throw new InvalidRunSpecException(
          "Resource name should match regex '" + RESOURCE_NAME.pattern() + "'");
    }
  }

  private static boolean isValidVolumeTarget(String path) {
    if (!path.startsWith("/")) {
      return false;
    }
    if (path.endsWith("/") && !path.equals("/")) {
      return false;
    }
    return DOCKER_TARGET_PATH.matcher(path).matches();
  }

  private static void checkService(ServiceConfiguration service, ProfileParams profile) {
    if (profile.schedule() != null
        && Groups.replicaGroups(service).stream().allMatch(g -> Groups.minReplicas(g) == 0)) {
      throw new InvalidRunSpecException(
          "Scheduled services with autoscaling to zero are not supported");
    }
    var probes = service.probes() == null ? List.<ProbeConfig>of() : service.probes();
    if (probes.size() > MAX_PROBES_PER_JOB) {
      throw new InvalidRunSpecException(
          "Cannot configure more than " + MAX_PROBES_PER_JOB + " probes");
    }
    if (probes.stream().anyMatch(p -> p.timeout() != null && p.timeout() > MAX_PROBE_TIMEOUT)) {
      throw new InvalidRunSpecException(
          "Probe timeout cannot be longer than " + MAX_PROBE_TIMEOUT + "s");
    }
  }

  /**
   * Sets the GPU spec default and its vendor on the configuration's resources, and on each group's
   * (dstack's {@code set_run_spec_resources_defaults}).
   */
  private static void setResourcesDefaults(ObjectNode conf, Configuration configuration) {
    var params = paramsOf(configuration);
    setResourcesDefaults(
        conf, params.resources(), params.image(), Boolean.TRUE.equals(params.docker()));
    var groupsNode = conf.get("groups");
    if (configuration instanceof ServiceConfiguration service && service.groups() != null) {
      for (int i = 0; i < service.groups().size(); i++) {
        var group = service.groups().get(i);
        var image = group.image() != null ? group.image() : params.image();
        var docker = group.docker() != null ? group.docker() : params.docker();
        setResourcesDefaults(
            (ObjectNode) groupsNode.get(i), group.resources(), image, Boolean.TRUE.equals(docker));
      }
    } else if (configuration instanceof TaskConfiguration task && task.groups() != null) {
      for (int i = 0; i < task.groups().size(); i++) {
        setResourcesDefaults(
            (ObjectNode) groupsNode.get(i),
            task.groups().get(i).resources(),
            params.image(),
            Boolean.TRUE.equals(params.docker()));
      }
    }
  }

  private static void setResourcesDefaults(
      ObjectNode owner, ResourcesSpec resources, String image, boolean docker) {
    var spec = resources == null ? ResourcesSpec.DEFAULT : resources;
    var node = owner.get("resources");
    if (node == null || !node.isObject()) {
      owner.set("resources", Json.MAPPER.valueToTree(spec));
      node = owner.get("resources");
    }
    var resourcesNode = (ObjectNode) node;
    var gpu = spec.gpu() == null ? GpuSpec.DEFAULT : spec.gpu();
    var gpuNode = resourcesNode.get("gpu");
    if (gpuNode == null || !gpuNode.isObject()) {
      resourcesNode.set("gpu", Json.MAPPER.valueToTree(gpu));
      gpuNode = resourcesNode.get("gpu");
    }
    var vendor = GpuVendors.defaultVendor(gpu, image, docker);
    if (vendor != null) {
      ((ObjectNode) gpuNode).put("vendor", vendor);
    }
  }

  private static void checkCpuArch(Configuration configuration) {
    var imageMessage = "`image` must be set when ARM CPU requested";
    var dockerMessage = "`docker: true` is not supported on ARM CPU";
    var params = paramsOf(configuration);
    List<Integer> withoutImage = new ArrayList<>();
    List<Integer> withDocker = new ArrayList<>();
    if (configuration instanceof ServiceConfiguration service && service.groups() != null) {
      for (int i = 0; i < service.groups().size(); i++) {
        var group = service.groups().get(i);
        var image = group.image() != null ? group.image() : params.image();
        var docker = group.docker() != null ? group.docker() : params.docker();
        if (isArm(group.resources())) {
          if (Boolean.TRUE.equals(docker)) {
            withDocker.add(i);
          } else if (image == null) {
            withoutImage.add(i);
          }
        }
      }
    } else if (configuration instanceof TaskConfiguration task && task.groups() != null) {
      for (int i = 0; i < task.groups().size(); i++) {
        if (isArm(task.groups().get(i).resources())) {
          if (Boolean.TRUE.equals(params.docker())) {
            withDocker.add(i);
          } else if (params.image() == null) {
            withoutImage.add(i);
          }
        }
      }
    } else {
      if (isArm(params.resources())) {
        if (Boolean.TRUE.equals(params.docker())) {
          throw new InvalidRunSpecException(dockerMessage);
        }
        if (params.image() == null) {
          throw new InvalidRunSpecException(imageMessage);
        }
      }
      return;
    }
    var errors = new ArrayList<String>();
    if (!withoutImage.isEmpty()) {
      errors.add("groups" + pythonList(withoutImage) + ": " + imageMessage);
    }
    if (!withDocker.isEmpty()) {
      errors.add("groups" + pythonList(withDocker) + ": " + dockerMessage);
    }
    if (!errors.isEmpty()) {
      throw new InvalidRunSpecException(String.join("\n", errors));
    }
  }

  private static boolean isArm(ResourcesSpec resources) {
    return resources != null && resources.cpu() != null && "arm".equals(resources.cpu().arch());
  }

  /** A list as Python prints it: {@code [0, 2]}, {@code ['amd']}. */
  static String pythonList(List<?> items) {
    return items.stream()
        .map(i -> i instanceof String s ? "'" + s + "'" : String.valueOf(i))
        .collect(Collectors.joining(", ", "[", "]"));
  }

  static String pythonList(Set<String> items) {
    return pythonList(List.copyOf(new TreeSet<>(items)));
  }
}
