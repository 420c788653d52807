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
 * A Git repo to check out in the run: a local repo ({@code localPath}) or a remote one ({@code
 * url}), at {@code path} in the container. Written as an object or as text: {@code .}, {@code
 * ..:/workflow/repo}, {@code https://github.com/org/repo.git:/repo}, {@code
 * git@github.com:org/repo.git}.
 */
public record RepoSpec(
    String localPath, String url, String branch, String hash, String path, String ifExists) {

  private static final Field<String> LOCAL_PATH =
      Field.of(
          "local_path",
          Readers.STRING,
          "The repo on your machine; relative to the configuration file's folder. Not with url");
  private static final Field<String> URL =
      Field.of("url", Readers.STRING, "The repo's URL. Not with local_path");
  private static final Field<String> BRANCH =
      Field.of(
          "branch",
          Readers.STRING,
          "The branch (default: the active branch of a local repo, the default branch of a URL)");
  private static final Field<String> HASH = Field.of("hash", Readers.STRING, "The commit hash");
  private static final Field<String> PATH =
      Field.of(
          "path",
          Readers.STRING,
          "Where to check the repo out in the container; relative to the working directory"
              + " (default .)");
  private static final Field<String> IF_EXISTS =
      Field.of(
          "if_exists",
          Readers.oneOf("error", "skip"),
          "What to do when path exists and is not empty: error (the default) or skip");
  private static final ObjectSpec OBJECT =
      ObjectSpec.of("a repo", LOCAL_PATH, URL, BRANCH, HASH, PATH, IF_EXISTS);

  /** A {@code repos} item. */
  public static final ValueReader<RepoSpec> READER =
      ValueReader.of(
          Map.of("anyOf", List.of(Map.of("type", "string"), OBJECT.schema())), RepoSpec::read);

  private static RepoSpec read(Node node, FieldPath path, Problems problems) {
    if (node instanceof Node.Scalar s && s.type() == Node.ScalarType.STR) {
      return shorthand(s.text(), node, path, problems);
    }
    var values = OBJECT.read(node, path, problems);
    if (values == null) {
      return null;
    }
    NullValues.rejectNull(values, PATH, IF_EXISTS);
    return check(
        new RepoSpec(
            values.get(LOCAL_PATH),
            values.get(URL),
            values.get(BRANCH),
            values.get(HASH),
            values.get(PATH, "."),
            values.get(IF_EXISTS, "error")),
        node,
        path,
        problems);
  }

  private static RepoSpec shorthand(String text, Node node, FieldPath path, Problems problems) {
    var parts = List.of(text.split(":", -1));
    var isUrl = false;
    if (parts.size() > 1) {
      var first = parts.get(0);
      var second = parts.get(1);
      if (first.contains("@") || second.startsWith("//")) {
        parts = joinFirstTwo(parts);
        isUrl = true;
      } else if (first.length() == 1
          && PathRules.isAsciiLetter(first.charAt(0))
          && (second.startsWith("\\") || second.startsWith("/"))) {
        parts = joinFirstTwo(parts); // a Windows path, C:\repo
      }
    }
    if (parts.size() > 2) {
      return problems.add(
          node,
          path,
          "\""
              + text
              + "\" is not a repo; write a local path or URL, optionally followed by"
              + " :/path/in/container (e.g. \".:/repo\")");
    }
    var target = parts.size() == 2 ? parts.get(1) : ".";
    var spec =
        isUrl
            ? new RepoSpec(null, parts.get(0), null, null, target, "error")
            : new RepoSpec(parts.get(0), null, null, null, target, "error");
    return check(spec, node, path, problems);
  }

  private static List<String> joinFirstTwo(List<String> parts) {
    var joined = new java.util.ArrayList<String>();
    joined.add(parts.get(0) + ":" + parts.get(1));
    joined.addAll(parts.subList(2, parts.size()));
    return joined;
  }

  private static RepoSpec check(RepoSpec spec, Node node, FieldPath path, Problems problems) {
    var before = problems.count();
    var hasLocal = spec.localPath() != null && !spec.localPath().isEmpty();
    var hasUrl = spec.url() != null && !spec.url().isEmpty();
    if (hasLocal && hasUrl) {
      problems.add(node, path, "set local_path or url, not both");
    } else if (!hasLocal && !hasUrl) {
      problems.add(node, path, "needs local_path (a repo on your machine) or url");
    }
    var target = spec.path();
    if (target != null && target.startsWith("~") && !target.split("/", -1)[0].equals("~")) {
      problems.add(
          node,
          path.child("path"),
          "\"" + target + "\": ~user paths are not supported; write ~/path or an absolute path");
    }
    return problems.count() == before ? spec : null;
  }
}
