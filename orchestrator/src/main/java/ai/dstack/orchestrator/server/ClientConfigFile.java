package ai.dstack.orchestrator.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The dstack client's {@code ~/.dstack/config.yml}: {@code projects: [{name, url, token,
 * default}]}. dstack's server writes its {@code main} project there on start, so the client works
 * at once; this does the same.
 */
final class ClientConfigFile {

  private final Path file;

  ClientConfigFile(Path file) {
    this.file = file;
  }

  /** The file in the user's home directory. */
  static ClientConfigFile inHome() {
    return new ClientConfigFile(Path.of(System.getProperty("user.home"), ".dstack", "config.yml"));
  }

  Path path() {
    return file;
  }

  /** Whether some project is the default one. */
  boolean hasDefaultProject() {
    return projects(read()).stream().anyMatch(p -> Boolean.TRUE.equals(p.get("default")));
  }

  /** Whether the default project is exactly this one. */
  boolean isDefault(String name, String url, String token) {
    return projects(read()).stream()
        .anyMatch(
            p ->
                Boolean.TRUE.equals(p.get("default"))
                    && name.equals(p.get("name"))
                    && url.equals(p.get("url"))
                    && token.equals(p.get("token")));
  }

  /** Adds the project (replacing one of the same name) and makes it the default. */
  void configureDefault(String name, String url, String token) {
    Map<String, Object> config = read();
    List<Map<String, Object>> projects = new ArrayList<>();
    for (Map<String, Object> project : projects(config)) {
      if (!name.equals(project.get("name"))) {
        Map<String, Object> other = new LinkedHashMap<>(project);
        other.put("default", false);
        projects.add(other);
      }
    }
    Map<String, Object> project = new LinkedHashMap<>();
    project.put("default", true);
    project.put("name", name);
    project.put("token", token);
    project.put("url", url);
    projects.add(project);
    config.put("projects", projects);
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, new Yaml(options).dump(config));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private Map<String, Object> read() {
    if (!Files.exists(file)) {
      return new LinkedHashMap<>();
    }
    try {
      Object loaded = new Yaml().load(Files.readString(file));
      if (loaded instanceof Map<?, ?> map) {
        Map<String, Object> config = new LinkedHashMap<>();
        map.forEach((k, v) -> config.put(String.valueOf(k), v));
        return config;
      }
      return new LinkedHashMap<>();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static List<Map<String, Object>> projects(Map<String, Object> config) {
    List<Map<String, Object>> projects = new ArrayList<>();
    if (config.get("projects") instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof Map<?, ?> map) {
          Map<String, Object> project = new LinkedHashMap<>();
          map.forEach((k, v) -> project.put(String.valueOf(k), v));
          projects.add(project);
        }
      }
    }
    return projects;
  }
}
