package ai.dstack.sdk;

import ai.dstack.core.yaml.InvalidConfigurationException;
import ai.dstack.core.yaml.Problems;
import ai.dstack.core.yaml.Yaml11;
import ai.dstack.sdk.api.DstackException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * dstack's client configuration, {@code ~/.dstack/config.yml}: the projects the user added with
 * {@code dstack project add}, one of them the default. Read and written in dstack's format, so
 * dstack's Python CLI and ours share the file:
 *
 * <pre>{@code
 * projects:
 * - default: true
 *   name: main
 *   token: 3b9e...
 *   url: http://127.0.0.1:3000
 * }</pre>
 *
 * <p>Immutable: the {@code with...} methods return a changed copy, which {@link #save} writes.
 */
public final class DstackConfig {

  /** The variable naming the project ({@code --project} of dstack's CLI defaults to it). */
  public static final String PROJECT_ENV = "DSTACK_PROJECT";

  /** With {@link #TOKEN_ENV} and a project, the server to use instead of the file's. */
  public static final String SERVER_URL_ENV = "DSTACK_SERVER_URL";

  /** The token to use: with {@link #SERVER_URL_ENV}, or instead of the configured one. */
  public static final String TOKEN_ENV = "DSTACK_TOKEN";

  private final List<ProjectConfig> projects;

  private DstackConfig(List<ProjectConfig> projects) {
    this.projects = List.copyOf(projects);
  }

  /** A configuration without projects. */
  public static DstackConfig empty() {
    return new DstackConfig(List.of());
  }

  /** {@code ~/.dstack/config.yml}. */
  public static Path defaultFile() {
    return Path.of(System.getProperty("user.home"), ".dstack", "config.yml");
  }

  /** Reads {@link #defaultFile()}; see {@link #load(Path)}. */
  public static DstackConfig load() {
    return load(defaultFile());
  }

  /**
   * Reads a config file; a missing file has no projects, as for dstack.
   *
   * @throws DstackException.NotConfigured when the file is not dstack's format
   * @throws UncheckedIOException when the file cannot be read
   */
  public static DstackConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      return empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    var problems = new Problems(file.toString());
    var root = Yaml11.parse(text, problems);
    try {
      problems.throwIfAny();
    } catch (InvalidConfigurationException e) {
      throw new DstackException.NotConfigured(e.getMessage());
    }
    var projects = new ArrayList<ProjectConfig>();
    if (Yaml11.toPlain(root) instanceof Map<?, ?> document
        && document.get("projects") instanceof List<?> list) {
      for (Object item : list) {
        if (!(item instanceof Map<?, ?> project)
            || !(project.get("name") instanceof String name)
            || !(project.get("url") instanceof String url)
            || !(project.get("token") instanceof String token)) {
          throw new DstackException.NotConfigured(
              file + ": every project needs a name, url and token; got " + redacted(item));
        }
        projects.add(
            new ProjectConfig(name, url, token, Boolean.TRUE.equals(project.get("default"))));
      }
    }
    return new DstackConfig(projects);
  }

  /** The projects, in the file's order. */
  public List<ProjectConfig> projects() {
    return projects;
  }

  /** The default project, if there is one. */
  public Optional<ProjectConfig> defaultProject() {
    return projects.stream().filter(ProjectConfig::isDefault).findFirst();
  }

  /** The project named {@code name}, or the default project when {@code name} is null. */
  public Optional<ProjectConfig> project(String name) {
    if (name == null) {
      return defaultProject();
    }
    return projects.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /**
   * The configuration with project {@code name} added or changed, as {@code dstack project add}
   * does: made the default when {@code makeDefault}, or when it is the only project.
   */
  public DstackConfig withProject(String name, String url, String token, boolean makeDefault) {
    var updated = new ArrayList<ProjectConfig>();
    boolean found = false;
    for (ProjectConfig p : projects) {
      if (p.name().equals(name)) {
        found = true;
        updated.add(new ProjectConfig(name, url, token, makeDefault || p.isDefault()));
      } else {
        updated.add(new ProjectConfig(p.name(), p.url(), p.token(), !makeDefault && p.isDefault()));
      }
    }
    if (!found) {
      updated.add(new ProjectConfig(name, url, token, makeDefault || updated.isEmpty()));
    }
    return new DstackConfig(updated);
  }

  /** The configuration with project {@code name} made the only default. */
  public DstackConfig withDefault(String name) {
    if (project(name).isEmpty()) {
      throw new DstackException.NotConfigured("Project " + name + " is not configured");
    }
    return new DstackConfig(
        projects.stream()
            .map(p -> new ProjectConfig(p.name(), p.url(), p.token(), p.name().equals(name)))
            .toList());
  }

  /** The configuration without project {@code name}. */
  public DstackConfig withoutProject(String name) {
    return new DstackConfig(projects.stream().filter(p -> !p.name().equals(name)).toList());
  }

  /**
   * Writes the configuration to {@code file} as dstack does (keys sorted, block style), creating
   * its directory, readable by the owner only where the file system allows.
   */
  public void save(Path file) {
    var list = new ArrayList<Map<String, Object>>();
    for (ProjectConfig p : projects) {
      var map = new LinkedHashMap<String, Object>();
      map.put("default", p.isDefault());
      map.put("name", p.name());
      map.put("token", p.token());
      map.put("url", p.url());
      list.add(map);
    }
    var options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndentWithIndicator(false);
    String text = new Yaml(options).dump(Map.of("projects", list));
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      Path tmp = Files.createTempFile(dir, ".config", ".yml");
      try {
        Files.writeString(tmp, text);
        Files.move(
            tmp,
            file,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * The server, token and project to use, as dstack's CLI picks them: {@code project}, else {@code
   * DSTACK_PROJECT}; {@code DSTACK_SERVER_URL} with {@code DSTACK_TOKEN} bypass the file (and then
   * need a project); else the file's project of that name (or its default project), with {@code
   * DSTACK_TOKEN} overriding its token.
   *
   * @param project the project to use, or null
   * @param env the environment variables (usually {@link System#getenv()})
   * @throws DstackException.NotConfigured when nothing says which server or project
   */
  public ProjectConfig resolve(String project, Map<String, String> env) {
    String name = project != null ? project : blankToNull(env.get(PROJECT_ENV));
    String url = blankToNull(env.get(SERVER_URL_ENV));
    String token = blankToNull(env.get(TOKEN_ENV));
    if (url != null && token != null) {
      if (name == null) {
        throw new DstackException.NotConfigured(
            SERVER_URL_ENV
                + " and "
                + TOKEN_ENV
                + " are set, but the project is not specified. Set "
                + PROJECT_ENV
                + " or pass the project");
      }
      return new ProjectConfig(name, url, token, false);
    }
    var configured = project(name);
    if (configured.isEmpty()) {
      if (url != null) {
        throw new DstackException.NotConfigured(
            SERVER_URL_ENV + " is set, but " + TOKEN_ENV + " is not set");
      }
      if (name != null) {
        throw new DstackException.NotConfigured(
            "Project " + name + " is not configured: add it with `dstack project add`");
      }
      throw new DstackException.NotConfigured(
          "No default project, specify project name (or add one with `dstack project add`)");
    }
    var found = configured.get();
    return token == null
        ? found
        : new ProjectConfig(found.name(), found.url(), token, found.isDefault());
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static Object redacted(Object item) {
    if (item instanceof Map<?, ?> map && map.containsKey("token")) {
      var copy = new LinkedHashMap<Object, Object>(map);
      copy.put("token", "***");
      return copy;
    }
    return item;
  }

  @Override
  public String toString() {
    return "DstackConfig" + projects;
  }
}
