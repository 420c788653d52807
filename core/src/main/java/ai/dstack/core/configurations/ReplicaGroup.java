package ai.dstack.core.configurations;

import ai.dstack.core.profiles.NullValues;
import ai.dstack.core.profiles.ProfileParams;
import ai.dstack.core.resources.Range;
import ai.dstack.core.resources.ResourcesGrammar;
import ai.dstack.core.resources.ResourcesSpec;
import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.FieldPath;
import ai.dstack.core.yaml.FieldValues;
import ai.dstack.core.yaml.Node;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Problems;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Map;

/**
 * One group of replicas of a heterogeneous service: how many (a number or a range with {@code
 * scaling}), what each needs, and what it runs. A group without a name is named after its position
 * ("0", "1", ...). Resources are the group's own; the service's are not inherited.
 */
public record ReplicaGroup(
    String name,
    Range<Long> replicas,
    ScalingSpec scaling,
    ResourcesSpec resources,
    String spotPolicy,
    String reservation,
    List<String> commands,
    String image,
    String python,
    Boolean nvcc,
    Boolean docker,
    Boolean privileged,
    Router router)
    implements NamedGroup<ReplicaGroup> {

  public ReplicaGroup {
    commands = List.copyOf(commands);
  }

  /**
   * The HTTP router replicas of the group run: {@code smg} (SGLang Model Gateway) or {@code
   * dynamo}. Written to JSON as dstack 0.22 writes it, with smg under its old name {@code sglang}.
   */
  public record Router(String type) {
    @JsonValue
    Map<String, String> json() {
      return Map.of("type", type.equals("smg") ? "sglang" : type);
    }
  }

  private static final Field<String> ROUTER_TYPE =
      Field.of(
          "type",
          Readers.oneOf("smg", "dynamo", "sglang"),
          "The router: smg (the default; sglang is its old name) or dynamo");
  private static final ValueReader<Router> ROUTER =
      ObjectSpec.of("a router", ROUTER_TYPE)
          .reader(
              values -> {
                NullValues.rejectNull(values, ROUTER_TYPE);
                var type = values.get(ROUTER_TYPE, "smg");
                return new Router(type.equals("sglang") ? "smg" : type);
              });

  /**
   * A number of replicas: a number, or a range whose upper bound is set ({@code 0..4}); a missing
   * lower bound is 0.
   */
  static final ValueReader<Range<Long>> REPLICAS =
      ValueReader.of(ResourcesGrammar.COUNT_RANGE.schema(), ReplicaGroup::readReplicas);

  private static Range<Long> readReplicas(Node node, FieldPath path, Problems problems) {
    var range = ResourcesGrammar.COUNT_RANGE.read(node, path, problems);
    if (range == null) {
      return null;
    }
    if (range.max() == null) {
      return problems.add(
          node, path, "needs an upper bound; write e.g. \"0..4\" or a number of replicas");
    }
    var min = range.min() == null ? 0L : range.min();
    if (min < 0) {
      return problems.add(node, path, "cannot go below 0 replicas, got " + min);
    }
    return new Range<>(min, range.max());
  }

  private static final Field<String> NAME =
      Field.of(
          "name",
          NodeGroup.GROUP_NAME_READER,
          "The group's name (default: its position, \"0\", \"1\", ...)");
  private static final Field<Range<Long>> REPLICAS_FIELD =
      Field.of(
          "replicas",
          REPLICAS,
          "The number of replicas (e.g. 2), or a range (e.g. 0..4) with scaling");
  private static final Field<Range<Long>> COUNT =
      Field.of("count", REPLICAS, "Another name for replicas");
  private static final Field<ScalingSpec> SCALING =
      Field.of("scaling", ScalingSpec.READER, "How to scale the group (when replicas is a range)");
  private static final Field<ResourcesSpec> RESOURCES =
      Field.of(
          "resources",
          ResourcesGrammar.RESOURCES,
          "What each replica needs (the service's resources are not inherited)");
  private static final Field<List<String>> COMMANDS =
      Field.of("commands", RunParams.COMMANDS, "The shell commands the group's replicas run");
  private static final Field<String> IMAGE =
      Field.of("image", Readers.STRING, "The group's Docker image. Not with docker or python");
  private static final Field<String> PYTHON =
      Field.of("python", RunParams.PYTHON, "The group's Python version. Not with image or docker");
  private static final Field<Boolean> NVCC =
      Field.of("nvcc", Readers.BOOLEAN, "Use the image with the CUDA compiler. Not with docker");
  private static final Field<Boolean> DOCKER =
      Field.of(
          "docker",
          Readers.BOOLEAN,
          "Run Docker inside the group's containers. Not with image, python or nvcc");
  private static final Field<Boolean> PRIVILEGED =
      Field.of("privileged", Readers.BOOLEAN, "Run the group's containers in privileged mode");
  private static final Field<Router> ROUTER_FIELD =
      Field.of("router", ROUTER, "Run an HTTP router in this group: {type: smg} or {type: dynamo}");

  private static final ObjectSpec SPEC =
      ObjectSpec.of(
          "a replica group",
          NAME,
          REPLICAS_FIELD,
          COUNT,
          SCALING,
          RESOURCES,
          ProfileParams.SPOT_POLICY,
          ProfileParams.RESERVATION,
          COMMANDS,
          IMAGE,
          PYTHON,
          NVCC,
          DOCKER,
          PRIVILEGED,
          ROUTER_FIELD);

  /** One {@code groups} item; {@code name} is null when not written. */
  static final ValueReader<ReplicaGroup> READER = SPEC.reader(ReplicaGroup::build);

  private static ReplicaGroup build(FieldValues values) {
    NullValues.rejectNull(values, RESOURCES, COMMANDS);
    var replicasField = values.isWritten(REPLICAS_FIELD) ? REPLICAS_FIELD : COUNT;
    if (!values.isWritten(replicasField)) {
      values.problem(REPLICAS_FIELD, "is required: the number of replicas (e.g. 2, or 0..4)");
    } else {
      NullValues.rejectNull(values, replicasField);
    }
    var replicas = values.get(replicasField);
    var image = values.get(IMAGE);
    var hasImage = image != null && !image.isEmpty();
    if (hasImage && TaskConfiguration.written(values, PYTHON)) {
      values.problem(PYTHON, "cannot be set together with image in a group; remove one of them");
    }
    if (RunParams.isTrue(values, DOCKER)) {
      var other =
          hasImage
              ? "image"
              : values.get(PYTHON) != null
                  ? "python"
                  : Boolean.TRUE.equals(values.get(NVCC)) ? "nvcc" : null;
      if (other != null) {
        values.problem(DOCKER, "cannot be true together with " + other + " in a group; remove one");
      }
    }
    if (RunParams.isFalse(values, PRIVILEGED) && Boolean.TRUE.equals(values.get(DOCKER))) {
      values.problem(
          PRIVILEGED, "cannot be false with docker: true: Docker inside the container needs it");
    }
    var scaling = values.get(SCALING);
    ServiceConfiguration.checkScaling(values, replicas, scaling, replicasField);
    return new ReplicaGroup(
        values.get(NAME),
        replicas,
        scaling,
        values.get(RESOURCES, ResourcesSpec.DEFAULT),
        values.get(ProfileParams.SPOT_POLICY),
        values.get(ProfileParams.RESERVATION),
        values.get(COMMANDS, List.of()),
        image,
        values.get(PYTHON),
        values.get(NVCC),
        values.get(DOCKER),
        values.get(PRIVILEGED),
        values.get(ROUTER_FIELD));
  }

  @Override
  public ReplicaGroup named(String newName) {
    return new ReplicaGroup(
        newName,
        replicas,
        scaling,
        resources,
        spotPolicy,
        reservation,
        commands,
        image,
        python,
        nvcc,
        docker,
        privileged,
        router);
  }
}
