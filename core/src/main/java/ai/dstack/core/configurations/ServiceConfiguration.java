package ai.dstack.core.configurations;

import ai.dstack.core.profiles.EntityReference;
import ai.dstack.core.profiles.NullValues;
import ai.dstack.core.profiles.ProfileParams;
import ai.dstack.core.resources.Range;
import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.FieldPath;
import ai.dstack.core.yaml.FieldValues;
import ai.dstack.core.yaml.Node;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Problems;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * {@code type: service}: a long-running application behind dstack's proxy or a gateway, with
 * replicas (a number, a range scaled on requests per second, or heterogeneous groups), optional
 * authorization, rate limits, probes and a chat model endpoint.
 */
public record ServiceConfiguration(
    PortMapping port,
    Gateway gateway,
    boolean stripPrefix,
    ServiceModel model,
    Https https,
    boolean auth,
    ScalingSpec scaling,
    List<RateLimit> rateLimits,
    List<ProbeConfig> probes,
    Range<Long> replicas,
    List<ReplicaGroup> groups,
    List<String> commands,
    @JsonUnwrapped RunParams run,
    @JsonUnwrapped ProfileParams profile)
    implements Configuration {

  public static final String TYPE = "service";

  public ServiceConfiguration {
    rateLimits = List.copyOf(rateLimits);
    probes = probes == null ? null : List.copyOf(probes);
    groups = groups == null ? null : List.copyOf(groups);
    commands = List.copyOf(commands);
  }

  @Override
  @JsonProperty("type")
  public String type() {
    return TYPE;
  }

  /**
   * Which gateway serves the service: {@code true} (the default gateway), {@code false} (none, the
   * in-server proxy), or a named one.
   */
  public sealed interface Gateway {
    /** {@code gateway: true} or {@code gateway: false}. */
    record Switch(boolean enabled) implements Gateway {
      @JsonValue
      boolean json() {
        return enabled;
      }
    }

    /** A named gateway, possibly of another project. */
    record Named(EntityReference reference) implements Gateway {
      @JsonValue
      EntityReference json() {
        return reference;
      }
    }
  }

  /** HTTPS on the gateway: on, off, or {@code auto} (null) to follow the gateway's setup. */
  public record Https(Boolean enabled) {
    public static final Https AUTO = new Https(null);

    @JsonValue
    Object json() {
      return enabled == null ? "auto" : enabled;
    }
  }

  private static final ValueReader<Gateway> GATEWAY =
      ValueReader.of(
          Map.of("anyOf", List.of(Map.of("type", "boolean"), EntityReference.READER.schema())),
          (node, path, problems) -> {
            // As dstack: a boolean if it reads as one (true, "off", 1), else a reference.
            var flag = Readers.booleanOf(node);
            if (flag != null) {
              return new Gateway.Switch(flag);
            }
            var reference = EntityReference.READER.read(node, path, problems);
            return reference == null ? null : new Gateway.Named(reference);
          });

  private static final ValueReader<Https> HTTPS =
      ValueReader.of(
          Map.of(
              "anyOf",
              List.of(
                  Map.of("type", "boolean"), Map.of("type", "string", "enum", List.of("auto")))),
          (node, path, problems) -> {
            if (node instanceof Node.Scalar s
                && s.type() == Node.ScalarType.STR
                && s.text().equals("auto")) {
              return Https.AUTO;
            }
            var flag = Readers.booleanOf(node);
            if (flag != null) {
              return new Https(flag);
            }
            return problems.add(node, path, "expected true, false or auto, got " + node.describe());
          });

  private static final Field<String> TYPE_FIELD =
      Field.required("type", Readers.oneOf(TYPE), "The configuration type: service");
  private static final Field<PortMapping> PORT =
      Field.required(
          "port", PortMapping.SERVICE_PORT, "The port the application listens on (e.g. 8000)");
  private static final Field<Gateway> GATEWAY_FIELD =
      Field.of(
          "gateway",
          GATEWAY,
          "The gateway to serve through: a name, true (the default gateway) or false (none);"
              + " when left out, the default gateway if there is one");
  private static final Field<Boolean> STRIP_PREFIX =
      Field.of(
          "strip_prefix",
          Readers.BOOLEAN,
          "Without a gateway, strip /proxy/services/<project>/<run>/ from request paths (default"
              + " true)");
  private static final Field<ServiceModel> MODEL =
      Field.of(
          "model",
          ServiceModel.READER,
          "The chat model to serve on dstack's OpenAI-compatible endpoint: its name, or {name,"
              + " format}");
  private static final Field<Https> HTTPS_FIELD =
      Field.of(
          "https",
          HTTPS,
          "Serve HTTPS on the gateway: true (the default), false or auto (as the gateway is set"
              + " up)");
  private static final Field<Boolean> AUTH =
      Field.of(
          "auth", Readers.BOOLEAN, "Require a dstack token to call the service (default true)");
  private static final Field<ScalingSpec> SCALING =
      Field.of(
          "scaling",
          ScalingSpec.READER,
          "How to scale replicas: {metric: rps, target} (needed when replicas is a range)");
  private static final Field<List<RateLimit>> RATE_LIMITS =
      Field.of(
          "rate_limits", RateLimit.LIST, "Rate limits by path prefix: [{prefix, rps, burst, key}]");
  private static final Field<List<ProbeConfig>> PROBES =
      Field.of(
          "probes",
          ProbeConfig.LIST,
          "HTTP probes that decide when a replica is ready: [{type: http, url, ...}]");
  private static final Field<Range<Long>> REPLICAS =
      Field.of(
          "replicas",
          ReplicaGroup.REPLICAS,
          "The number of replicas (e.g. 2), or a range (e.g. 0..4) with scaling. Not with groups");
  private static final Field<List<ReplicaGroup>> GROUPS =
      Field.of(
          "groups",
          NamedGroup.listOf(ReplicaGroup.READER, "replica groups"),
          "Groups of replicas, each with its own replicas, resources and commands. Not with"
              + " replicas, nor with top-level scaling or commands");
  private static final Field<List<String>> COMMANDS = TaskConfiguration.COMMANDS;

  private static final ObjectSpec SPEC =
      ObjectSpec.of(
              "a service",
              TYPE_FIELD,
              PORT,
              GATEWAY_FIELD,
              STRIP_PREFIX,
              MODEL,
              HTTPS_FIELD,
              AUTH,
              SCALING,
              RATE_LIMITS,
              PROBES,
              REPLICAS,
              GROUPS,
              COMMANDS)
          .with(RunParams.FIELDS)
          .with(ProfileParams.RUN_FIELDS);

  /** Reads {@code type: service}. */
  public static final ValueReader<ServiceConfiguration> READER =
      ValueReader.of(SPEC.schema(), ServiceConfiguration::read);

  // An old form of groups: replicas written as a list of groups.
  private static Node.Mapping withLegacyGroups(Node.Mapping mapping) {
    var replicas = mapping.get("replicas");
    var groups = mapping.get("groups");
    var groupsUnset = groups == null || groups.value() instanceof Node.Scalar s && s.isNull();
    if (replicas == null || !(replicas.value() instanceof Node.Sequence) || !groupsUnset) {
      return mapping;
    }
    var entries = new ArrayList<Node.Entry>();
    for (var entry : mapping.entries()) {
      if (entry.key().equals("groups")) {
        continue;
      }
      entries.add(
          entry.key().equals("replicas")
              ? new Node.Entry("groups", entry.keyMark(), entry.value())
              : entry);
    }
    return new Node.Mapping(entries, mapping.mark());
  }

  private static ServiceConfiguration read(Node node, FieldPath path, Problems problems) {
    var source = node instanceof Node.Mapping mapping ? withLegacyGroups(mapping) : node;
    var values = SPEC.read(source, path, problems);
    return values == null ? null : build(values);
  }

  private static ServiceConfiguration build(FieldValues values) {
    NullValues.rejectNull(values, STRIP_PREFIX, AUTH, RATE_LIMITS, COMMANDS);
    var run = RunParams.read(values);
    var profile = ProfileParams.read(values);
    var scaling = values.get(SCALING);
    var replicas = values.get(REPLICAS);
    var groups = values.get(GROUPS);
    var commands = values.get(COMMANDS, List.of());
    if (TaskConfiguration.written(values, GROUPS)) {
      checkWithGroups(values, run, profile, groups, commands);
    } else {
      TaskConfiguration.requireCommandsOrImage(values, run, commands);
      checkScaling(values, replicas, scaling, REPLICAS);
    }
    return new ServiceConfiguration(
        values.get(PORT),
        values.get(GATEWAY_FIELD),
        values.get(STRIP_PREFIX, true),
        values.get(MODEL),
        values.get(HTTPS_FIELD),
        values.get(AUTH, true),
        scaling,
        values.get(RATE_LIMITS, List.of()),
        values.get(PROBES),
        replicas,
        groups,
        commands,
        run,
        profile);
  }

  /** A range of replicas needs scaling, and scaling needs a range. */
  static void checkScaling(
      FieldValues values, Range<Long> replicas, ScalingSpec scaling, Field<?> replicasField) {
    if (replicas == null) {
      return;
    }
    var isRange = !replicas.min().equals(replicas.max());
    if (isRange && scaling == null && !TaskConfiguration.failed(values, SCALING)) {
      values.problem(
          replicasField,
          "is a range, which needs scaling: add scaling: {metric: rps, target: 10}, or set a"
              + " number of replicas");
    }
    if (!isRange && scaling != null) {
      values.problem(
          SCALING,
          "needs replicas to be a range (e.g. 0..4); with a fixed number of replicas, remove"
              + " scaling");
    }
  }

  private static void checkWithGroups(
      FieldValues values,
      RunParams run,
      ProfileParams profile,
      List<ReplicaGroup> groups,
      List<String> commands) {
    if (TaskConfiguration.written(values, REPLICAS)) {
      values.problem(REPLICAS, "cannot be set with groups: set replicas in each group instead");
    }
    if (groups == null) {
      return; // the groups have problems of their own
    }
    if (values.get(SCALING) != null) {
      values.problem(SCALING, "cannot be set with groups: set scaling in each group instead");
    }
    if (!commands.isEmpty()) {
      values.problem(COMMANDS, "cannot be set with groups: set commands in each group instead");
    }
    // Fields set once for every group or per group, never both.
    both(values, groups, "image", run.image() != null, g -> g.image() != null);
    both(values, groups, "docker", Boolean.TRUE.equals(run.docker()), g -> g.docker() != null);
    both(values, groups, "privileged", run.privileged(), g -> g.privileged() != null);
    both(values, groups, "python", run.python() != null, g -> g.python() != null);
    both(values, groups, "nvcc", Boolean.TRUE.equals(run.nvcc()), g -> g.nvcc() != null);
    both(values, groups, "spot_policy", profile.spotPolicy() != null, g -> g.spotPolicy() != null);
    both(
        values, groups, "reservation", profile.reservation() != null, g -> g.reservation() != null);
    // The image comes from one source: an image, Docker-in-Docker, or dstack's image (python,
    // nvcc).
    Map<String, Boolean> service =
        Map.of(
            "image",
            run.image() != null,
            "docker",
            Boolean.TRUE.equals(run.docker()),
            "python",
            run.python() != null,
            "nvcc",
            Boolean.TRUE.equals(run.nvcc()));
    Map<String, Function<ReplicaGroup, Object>> group =
        Map.of(
            "image", ReplicaGroup::image,
            "docker", ReplicaGroup::docker,
            "python", ReplicaGroup::python,
            "nvcc", ReplicaGroup::nvcc);
    var conflicts =
        List.of(
            List.of("image", "docker"),
            List.of("image", "python"),
            List.of("image", "nvcc"),
            List.of("docker", "image"),
            List.of("docker", "python"),
            List.of("docker", "nvcc"),
            List.of("python", "image"),
            List.of("python", "docker"),
            List.of("nvcc", "image"),
            List.of("nvcc", "docker"));
    for (var conflict : conflicts) {
      var serviceField = conflict.get(0);
      var groupField = conflict.get(1);
      if (!service.get(serviceField)) {
        continue;
      }
      var names = namesWhere(groups, g -> group.get(groupField).apply(g) != null);
      if (!names.isEmpty()) {
        values.problem(
            GROUPS,
            serviceField
                + " is set for the service and "
                + groupField
                + " in group(s) "
                + names
                + "; they choose the image in different ways, so use one of them");
      }
    }
    for (var g : groups) {
      if (g.commands().isEmpty() && g.image() == null && run.image() == null) {
        values.problem(
            GROUPS,
            "group \""
                + g.name()
                + "\" has nothing to run; give it commands or an image, or set image for the"
                + " service");
      }
    }
    var routed = groups.stream().filter(g -> g.router() != null).toList();
    if (routed.size() > 1) {
      values.problem(
          GROUPS, "only one group may have a router, got " + namesWhere(routed, g -> true));
    } else if (routed.size() == 1) {
      var replicas = routed.get(0).replicas();
      if (replicas != null && (replicas.min() != 1 || replicas.max() != 1)) {
        values.problem(
            GROUPS,
            "group \"" + routed.get(0).name() + "\" has a router, so it must have replicas: 1");
      }
    }
  }

  private static void both(
      FieldValues values,
      List<ReplicaGroup> groups,
      String field,
      boolean atService,
      Predicate<ReplicaGroup> inGroup) {
    if (!atService) {
      return;
    }
    var names = namesWhere(groups, inGroup);
    if (!names.isEmpty()) {
      values.problem(
          GROUPS,
          field
              + " is set both for the service and in group(s) "
              + names
              + "; set it in one place: for the service (every group inherits it) or per group");
    }
  }

  private static String namesWhere(List<ReplicaGroup> groups, Predicate<ReplicaGroup> test) {
    var names = groups.stream().filter(test).map(g -> "\"" + g.name() + "\"").toList();
    return names.isEmpty() ? "" : String.join(", ", names);
  }
}
