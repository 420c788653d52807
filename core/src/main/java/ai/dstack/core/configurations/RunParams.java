package ai.dstack.core.configurations;

import ai.dstack.core.profiles.NullValues;
import ai.dstack.core.resources.ResourcesGrammar;
import ai.dstack.core.resources.ResourcesSpec;
import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.FieldValues;
import ai.dstack.core.yaml.Node;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;
import ai.dstack.core.yaml.Yaml11;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The fields every run configuration (dev environment, task, service) has: the container (image,
 * Python, user, privileges, entrypoint, working directory, shell, environment), what the run asks
 * of a machine, and what it mounts and copies in. The configuration records unwrap it, so its JSON
 * sits at their top level as in dstack.
 */
public record RunParams(
    String name,
    String image,
    String user,
    boolean privileged,
    String entrypoint,
    String workingDir,
    String homeDir,
    RegistryAuth registryAuth,
    String python,
    Boolean nvcc,
    Boolean singleBranch,
    Env env,
    String shell,
    ResourcesSpec resources,
    Long priority,
    List<MountPoint> volumes,
    Boolean docker,
    List<RepoSpec> repos,
    List<FilePathMapping> files,
    boolean dstack,
    List<String> setup) {

  /** The Python versions dstack's default images have. */
  public static final List<String> PYTHON_VERSIONS =
      List.of("3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15");

  /** Run names as dstack accepts them (checked by its server when a run is submitted). */
  public static final Pattern NAME_PATTERN = Pattern.compile("[a-z][a-z0-9-]{1,40}");

  static final ValueReader<List<String>> COMMANDS = Readers.listOf(Readers.STRING);

  private static final ValueReader<String> RUN_NAME =
      ValueReader.of(
          Map.of("type", "string", "pattern", "^" + NAME_PATTERN.pattern() + "$"),
          (node, path, problems) -> {
            var name = Readers.STRING.read(node, path, problems);
            if (name != null && !NAME_PATTERN.matcher(name).matches()) {
              return problems.add(
                  node,
                  path,
                  "\""
                      + name
                      + "\" is not a valid run name; use 2 to 41 lowercase letters, digits and"
                      + " hyphens, starting with a letter (e.g. \"train-llama\")");
            }
            return name;
          });

  /**
   * A Python version. YAML reads {@code 3.10} as the number 3.1, which can only mean 3.10, so it is
   * taken as such.
   */
  static final ValueReader<String> PYTHON =
      ValueReader.of(
          Map.of(
              "anyOf",
              List.of(Map.of("type", "string", "enum", PYTHON_VERSIONS), Map.of("type", "number"))),
          (node, path, problems) -> {
            if (node instanceof Node.Scalar s) {
              String version = null;
              if (s.type() == Node.ScalarType.FLOAT) {
                version = Yaml11.pythonNumber(s.value());
                version = version.equals("3.1") ? "3.10" : version;
              } else if (s.type() == Node.ScalarType.STR) {
                version = s.text();
              }
              if (version != null && PYTHON_VERSIONS.contains(version)) {
                return version;
              }
              if (version != null) {
                return problems.add(
                    node,
                    path,
                    "\""
                        + version
                        + "\" is not a supported Python version; use one of "
                        + String.join(", ", PYTHON_VERSIONS));
              }
            }
            return problems.add(
                node,
                path,
                "expected a Python version (one of "
                    + String.join(", ", PYTHON_VERSIONS)
                    + "), got "
                    + node.describe());
          });

  private static final ValueReader<String> USER =
      ValueReader.of(
          Map.of("type", "string"),
          (node, path, problems) -> {
            var user = Readers.STRING.read(node, path, problems);
            var problem = user == null ? null : userProblem(user);
            return problem == null
                ? user
                : problems.add(
                    node,
                    path,
                    "\"" + user + "\" " + problem + "; write user or user:group (e.g. 1000:1000)");
          });

  private static String userProblem(String user) {
    var parts = user.split(":", -1);
    if (parts.length > 2) {
      return "has too many parts";
    }
    if (parts[0].isEmpty()) {
      return "has no user name or id";
    }
    var uid = Readers.pythonInt(parts[0]);
    if (uid != null && uid.signum() < 0) {
      return "has a negative user id";
    }
    if (parts.length == 2) {
      if (parts[1].isEmpty()) {
        return "has no group name or id";
      }
      var gid = Readers.pythonInt(parts[1]);
      if (gid != null && gid.signum() < 0) {
        return "has a negative group id";
      }
    }
    return null;
  }

  private static final ValueReader<String> SHELL =
      ValueReader.of(
          Map.of("type", "string"),
          (node, path, problems) -> {
            var shell = Readers.STRING.read(node, path, problems);
            if (shell != null
                && !shell.equals("sh")
                && !shell.equals("bash")
                && !shell.startsWith("/")) {
              return problems.add(
                  node,
                  path,
                  "\""
                      + shell
                      + "\" is not a shell; write sh, bash or an absolute path such as"
                      + " /usr/bin/zsh");
            }
            return shell;
          });

  private static final ValueReader<List<RepoSpec>> REPOS =
      ValueReader.of(
          Readers.listOf(RepoSpec.READER).schema(),
          (node, path, problems) -> {
            var repos = Readers.listOf(RepoSpec.READER).read(node, path, problems);
            if (repos != null && repos.size() > 1) {
              return problems.add(
                  node, path, "has " + repos.size() + " repos; at most one is supported");
            }
            return repos;
          });

  public static final Field<String> NAME =
      Field.of(
          "name",
          RUN_NAME,
          "The run name: lowercase letters, digits and hyphens, starting with a letter (a random"
              + " name when left out)");
  public static final Field<String> IMAGE =
      Field.of(
          "image",
          Readers.STRING,
          "The Docker image to run (default: dstack's Ubuntu image with Python, uv and CUDA)");
  public static final Field<String> USER_FIELD =
      Field.of(
          "user",
          USER,
          "The user in the container, user[:group] by name or id (e.g. ubuntu, 1000:1000);"
              + " default: the image's user");
  public static final Field<Boolean> PRIVILEGED =
      Field.of("privileged", Readers.BOOLEAN, "Run the container in privileged mode");
  public static final Field<String> ENTRYPOINT =
      Field.of("entrypoint", Readers.STRING, "The Docker entrypoint");
  public static final Field<String> WORKING_DIR =
      Field.of(
          "working_dir",
          Readers.STRING,
          "The working directory in the container (default: the image's)");
  public static final Field<String> HOME_DIR =
      Field.of("home_dir", Readers.STRING, "Deprecated and ignored");
  public static final Field<RegistryAuth> REGISTRY_AUTH =
      Field.of(
          "registry_auth",
          RegistryAuth.READER,
          "Credentials for pulling a private image: {username, password}");
  public static final Field<String> PYTHON_FIELD =
      Field.of(
          "python",
          PYTHON,
          "The Python version of dstack's default image (3.9 to 3.15). Not with image or docker");
  public static final Field<Boolean> NVCC =
      Field.of(
          "nvcc",
          Readers.BOOLEAN,
          "Use dstack's default image with the NVIDIA CUDA compiler. Not with docker");
  public static final Field<Boolean> SINGLE_BRANCH =
      Field.of(
          "single_branch",
          Readers.BOOLEAN,
          "Clone only the current branch of a remote repo (default: false for dev environments,"
              + " true otherwise)");
  public static final Field<Env> ENV =
      Field.of(
          "env",
          Env.READER,
          "Environment variables: a mapping, or a list of NAME=value (NAME alone takes the value"
              + " from your environment)");
  public static final Field<String> SHELL_FIELD =
      Field.of(
          "shell",
          SHELL,
          "The shell that runs commands: sh, bash or an absolute path (default: /bin/sh with an"
              + " image, /bin/bash otherwise)");
  public static final Field<ResourcesSpec> RESOURCES =
      Field.of(
          "resources",
          ResourcesGrammar.RESOURCES,
          "What the run needs: cpu, memory, shm_size, gpu, disk");
  public static final Field<Long> PRIORITY =
      Field.of(
          "priority",
          Readers.integer(0, 100),
          "The run's priority, 0 to 100; higher runs are provisioned first (default 0)");
  public static final Field<List<MountPoint>> VOLUMES =
      Field.of(
          "volumes",
          Readers.listOf(MountPoint.READER),
          "Volumes to mount: NAME:/path for network volumes, /instance/path:/path for instance"
              + " folders");
  public static final Field<Boolean> DOCKER =
      Field.of(
          "docker",
          Readers.BOOLEAN,
          "Run Docker inside the container (privileged). Not with image, python or nvcc");
  public static final Field<List<RepoSpec>> REPOS_FIELD =
      Field.of("repos", REPOS, "The Git repo to check out (at most one)");
  public static final Field<List<FilePathMapping>> FILES =
      Field.of(
          "files",
          Readers.listOf(FilePathMapping.READER),
          "Local files to copy into the container: local_path:path, or one path for both");
  public static final Field<Boolean> DSTACK =
      Field.of(
          "dstack",
          Readers.BOOLEAN,
          "Make the dstack server reachable from the run (no credentials are passed)");
  public static final Field<List<String>> SETUP =
      Field.of(
          "setup",
          COMMANDS,
          "Deprecated: for dev environments, commands run before init; ignored otherwise");

  /** Every field, in dstack's order. */
  public static final List<Field<?>> FIELDS =
      List.of(
          NAME,
          IMAGE,
          USER_FIELD,
          PRIVILEGED,
          ENTRYPOINT,
          WORKING_DIR,
          HOME_DIR,
          REGISTRY_AUTH,
          PYTHON_FIELD,
          NVCC,
          SINGLE_BRANCH,
          ENV,
          SHELL_FIELD,
          RESOURCES,
          PRIORITY,
          VOLUMES,
          DOCKER,
          REPOS_FIELD,
          FILES,
          DSTACK,
          SETUP);

  /** Reads the fields and checks how they combine (python, image, docker and nvcc). */
  public static RunParams read(FieldValues values) {
    NullValues.rejectNull(
        values, PRIVILEGED, HOME_DIR, ENV, RESOURCES, VOLUMES, REPOS_FIELD, FILES, DSTACK, SETUP);
    var image = values.get(IMAGE);
    var hasImage = image != null && !image.isEmpty();
    if (hasImage && values.isWritten(PYTHON_FIELD) && !isNull(values, PYTHON_FIELD)) {
      values.problem(
          PYTHON_FIELD,
          "cannot be set together with image: the image brings its own Python; remove one of"
              + " them");
    }
    if (isTrue(values, DOCKER)) {
      String other = null;
      if (hasImage) {
        other = "image";
      } else if (values.get(PYTHON_FIELD) != null) {
        other = "python";
      } else if (Boolean.TRUE.equals(values.get(NVCC))) {
        other = "nvcc";
      }
      if (other != null) {
        values.problem(
            DOCKER,
            "cannot be true together with "
                + other
                + ": docker uses dstack's Docker-in-Docker image; remove one of them");
      }
    }
    return new RunParams(
        values.get(NAME),
        image,
        values.get(USER_FIELD),
        values.get(PRIVILEGED, false),
        values.get(ENTRYPOINT),
        values.get(WORKING_DIR),
        values.get(HOME_DIR, "/root"),
        values.get(REGISTRY_AUTH),
        values.get(PYTHON_FIELD),
        values.get(NVCC),
        values.get(SINGLE_BRANCH),
        values.get(ENV, Env.EMPTY),
        values.get(SHELL_FIELD),
        values.get(RESOURCES, ResourcesSpec.DEFAULT),
        values.get(PRIORITY),
        values.get(VOLUMES, List.of()),
        values.get(DOCKER),
        values.get(REPOS_FIELD, List.of()),
        values.get(FILES, List.of()),
        values.get(DSTACK, false),
        values.get(SETUP, List.of()));
  }

  /** Whether the field was written as null. */
  static boolean isNull(FieldValues values, Field<?> field) {
    var entry = values.mapping().get(field.name());
    return entry != null && entry.value() instanceof Node.Scalar s && s.isNull();
  }

  /** Whether the field was written as the YAML boolean true (not a string such as "yes"). */
  static boolean isTrue(FieldValues values, Field<?> field) {
    return isBoolean(values, field, true);
  }

  /** Whether the field was written as the YAML boolean false (not a string such as "no"). */
  static boolean isFalse(FieldValues values, Field<?> field) {
    return isBoolean(values, field, false);
  }

  private static boolean isBoolean(FieldValues values, Field<?> field, boolean expected) {
    var entry = values.mapping().get(field.name());
    return entry != null
        && entry.value() instanceof Node.Scalar s
        && s.type() == Node.ScalarType.BOOL
        && s.value().equals(expected);
  }
}
