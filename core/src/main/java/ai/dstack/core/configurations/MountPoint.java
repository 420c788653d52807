package ai.dstack.core.configurations;

import ai.dstack.core.profiles.NullValues;
import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.FieldPath;
import ai.dstack.core.yaml.Node;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Problems;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * A volume mounted into a run's container: a network volume ({@code my-volume:/data}) or a
 * directory of the instance ({@code /mnt/cache:/root/.cache}). Container paths are absolute and
 * kept normalized ({@code /data/} is {@code /data}).
 */
public sealed interface MountPoint {

  /** The absolute path in the container. */
  String path();

  /**
   * A network volume, or one of several ({@code names}); {@code listed} says whether the names were
   * written as a list, which is how they are written back to JSON.
   */
  @JsonPropertyOrder({"name", "path"})
  record VolumeMount(@JsonIgnore List<String> names, @JsonIgnore boolean listed, String path)
      implements MountPoint {
    public VolumeMount {
      names = List.copyOf(names);
    }

    @JsonProperty("name")
    Object name() {
      return listed ? names : names.get(0);
    }
  }

  /**
   * A directory of the instance; {@code optional} lets backends without instance volumes skip it.
   */
  record InstanceMount(String instancePath, String path, boolean optional) implements MountPoint {}

  Field<List<String>> NAME =
      Field.required(
          "name",
          Readers.listOrOne(Readers.STRING),
          "The network volume's name, or a list of names to mount whichever is available");
  Field<String> PATH = Field.required("path", absolutePath(), "The absolute path in the container");
  Field<String> INSTANCE_PATH =
      Field.required("instance_path", absolutePath(), "The absolute path on the instance");
  Field<Boolean> OPTIONAL =
      Field.of(
          "optional",
          Readers.BOOLEAN,
          "Run without this mount on backends that have no instance volumes (default false)");

  ObjectSpec VOLUME = ObjectSpec.of("a network volume mount", NAME, PATH);
  ObjectSpec INSTANCE = ObjectSpec.of("an instance volume mount", INSTANCE_PATH, PATH, OPTIONAL);

  String HOW = "write NAME:/path for a network volume or /instance/path:/path";

  /** A {@code volumes} item: {@code name:/path}, {@code /instance/path:/path} or an object. */
  ValueReader<MountPoint> READER =
      ValueReader.of(
          Map.of(
              "anyOf",
              List.of(
                  Map.of("type", "string", "pattern", "^[^:]*:[^:]*$"),
                  VOLUME.schema(),
                  INSTANCE.schema())),
          MountPoint::read);

  private static ValueReader<String> absolutePath() {
    return ValueReader.of(
        Map.of("type", "string"),
        (node, path, problems) -> {
          var text = Readers.STRING.read(node, path, problems);
          return text == null ? null : checkPath(text, node, path, problems);
        });
  }

  private static String checkPath(String text, Node node, FieldPath path, Problems problems) {
    if (text.isEmpty()) {
      return problems.add(node, path, "the path is empty; write an absolute path such as /data");
    }
    if (text.startsWith("~")) {
      return problems.add(
          node,
          path,
          "\""
              + text
              + "\" is not an absolute path (~ is not expanded); write the full path, e.g. /root"
              + text.substring(1));
    }
    if (!text.startsWith("/")) {
      return problems.add(
          node, path, "\"" + text + "\" is not an absolute path; write e.g. /" + text);
    }
    if (PathRules.climbs(text)) {
      return problems.add(
          node, path, "\"" + text + "\" has a .. segment; write the path without it");
    }
    return PathRules.normalizePosix(text);
  }

  private static MountPoint read(Node node, FieldPath path, Problems problems) {
    if (node instanceof Node.Scalar s && s.type() == Node.ScalarType.STR) {
      var parts = s.text().split(":", -1);
      if (parts.length != 2) {
        return problems.add(node, path, "\"" + s.text() + "\" is not a mount point; " + HOW);
      }
      var target = checkPath(parts[1], node, path, problems);
      if (target == null) {
        return null;
      }
      if (parts[0].contains("/")) {
        var source = checkPath(parts[0], node, path, problems);
        return source == null ? null : new InstanceMount(source, target, false);
      }
      return new VolumeMount(List.of(parts[0]), false, target);
    }
    if (!(node instanceof Node.Mapping mapping)) {
      return problems.add(
          node, path, "expected a mount point (" + HOW + "), got " + node.describe());
    }
    var hasName = mapping.get("name") != null;
    var hasInstancePath = mapping.get("instance_path") != null;
    if (hasName == hasInstancePath) {
      return problems.add(
          node,
          path,
          hasName
              ? "a mount point has either name (a network volume) or instance_path, not both"
              : "a mount point needs name (a network volume) or instance_path, and path");
    }
    if (hasName) {
      var values = VOLUME.read(node, path, problems);
      if (values == null) {
        return null;
      }
      NullValues.rejectNull(values, NAME, PATH);
      var names = values.get(NAME);
      var target = values.get(PATH);
      return names == null || target == null
          ? null
          : new VolumeMount(names, mapping.get("name").value() instanceof Node.Sequence, target);
    }
    var values = INSTANCE.read(node, path, problems);
    if (values == null) {
      return null;
    }
    NullValues.rejectNull(values, INSTANCE_PATH, PATH, OPTIONAL);
    var source = values.get(INSTANCE_PATH);
    var target = values.get(PATH);
    return source == null || target == null
        ? null
        : new InstanceMount(source, target, values.get(OPTIONAL, false));
  }
}
