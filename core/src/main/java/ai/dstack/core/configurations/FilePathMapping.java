package ai.dstack.core.configurations;

import ai.dstack.core.profiles.NullValues;
import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.FieldPath;
import ai.dstack.core.yaml.Node;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Problems;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;
import java.util.List;
import java.util.Map;

/**
 * A local file or folder copied into the run's container: {@code local_path:path}, a single path
 * used for both, or {@code {local_path, path}}. Relative container paths are relative to the
 * working directory; a Windows path on the container side is refused.
 */
public record FilePathMapping(String localPath, String path) {

  private static final ValueReader<String> CONTAINER_PATH =
      ValueReader.of(
          Map.of("type", "string"),
          (node, path, problems) -> {
            var text = Readers.STRING.read(node, path, problems);
            return text == null ? null : checkContainerPath(text, node, path, problems);
          });

  private static final Field<String> LOCAL_PATH =
      Field.required(
          "local_path",
          Readers.STRING,
          "The path on your machine; relative to the configuration file's folder");
  private static final Field<String> PATH =
      Field.required(
          "path", CONTAINER_PATH, "The path in the container; relative to the working directory");
  private static final ObjectSpec OBJECT = ObjectSpec.of("a file mapping", LOCAL_PATH, PATH);

  /** A {@code files} item. */
  public static final ValueReader<FilePathMapping> READER =
      ValueReader.of(
          Map.of("anyOf", List.of(Map.of("type", "string"), OBJECT.schema())),
          FilePathMapping::read);

  private static String checkContainerPath(
      String text, Node node, FieldPath path, Problems problems) {
    if (PathRules.isWindowsAbsolute(text)) {
      return problems.add(
          node,
          path,
          "\"" + text + "\" is a Windows path; the container path must be a Unix path, e.g. /data");
    }
    return text;
  }

  private static FilePathMapping read(Node node, FieldPath path, Problems problems) {
    if (node instanceof Node.Scalar s && s.type() == Node.ScalarType.STR) {
      var parts = List.of(s.text().split(":", -1));
      if (parts.size() > 1
          && parts.get(0).length() == 1
          && PathRules.isAsciiLetter(parts.get(0).charAt(0))
          && (parts.get(1).startsWith("\\") || parts.get(1).startsWith("/"))) {
        var joined = new java.util.ArrayList<String>();
        joined.add(parts.get(0) + ":" + parts.get(1)); // a Windows path, C:\data
        joined.addAll(parts.subList(2, parts.size()));
        parts = joined;
      }
      if (parts.size() > 2) {
        return problems.add(
            node,
            path,
            "\"" + s.text() + "\" is not a file mapping; write local_path:path or a single path");
      }
      var local = parts.get(0);
      var target = parts.size() == 2 ? parts.get(1) : local;
      return checkContainerPath(target, node, path, problems) == null
          ? null
          : new FilePathMapping(local, target);
    }
    var values = OBJECT.read(node, path, problems);
    if (values == null) {
      return null;
    }
    NullValues.rejectNull(values, LOCAL_PATH, PATH);
    var local = values.get(LOCAL_PATH);
    var target = values.get(PATH);
    return local == null || target == null ? null : new FilePathMapping(local, target);
  }
}
