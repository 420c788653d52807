package ai.dstack.orchestrator.fleets;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds the agents' jars the local fleet runs: the one a setting names, else the one the repository
 * the server runs from built ({@code <module>/target/dstack-<module>-<version>.jar}), looked for
 * above the server's own code and above the working directory.
 */
final class AgentJars {
  private AgentJars() {}

  /** The shim's jar. */
  static Path shim(Path configured) {
    return find(configured, "shim", "DSTACK_LOCAL_FLEET_SHIM_JAR");
  }

  /** The runner's jar. */
  static Path runner(Path configured) {
    return find(configured, "runner", "DSTACK_LOCAL_FLEET_RUNNER_JAR");
  }

  private static Path find(Path configured, String module, String setting) {
    if (configured != null && !configured.toString().isBlank()) {
      if (!Files.isRegularFile(configured)) {
        throw new IllegalStateException(setting + " names " + configured + ", which is no file");
      }
      return configured.toAbsolutePath().normalize();
    }
    Set<Path> searched = new LinkedHashSet<>();
    for (Path start : starts()) {
      for (Path dir = start; dir != null; dir = dir.getParent()) {
        if (!searched.add(dir)) {
          break;
        }
        Optional<Path> jar = builtJar(dir.resolve(module).resolve("target"), module);
        if (jar.isPresent()) {
          return jar.get();
        }
      }
    }
    throw new IllegalStateException(
        "cannot find the "
            + module
            + "'s jar ("
            + module
            + "/target/dstack-"
            + module
            + "-*.jar in a directory above "
            + String.join(" or ", starts().stream().map(Path::toString).toList())
            + "); build it with `scripts/mvn -pl shim,runner -am package -DskipTests`, or set "
            + setting);
  }

  /**
   * The newest {@code dstack-<module>-*.jar} of a target dir (not the sources or the pre-shade
   * one).
   */
  private static Optional<Path> builtJar(Path target, String module) {
    if (!Files.isDirectory(target)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(target)) {
      return files
          .filter(
              f -> {
                String name = f.getFileName().toString();
                return name.startsWith("dstack-" + module + "-")
                    && name.endsWith(".jar")
                    && !name.endsWith("-sources.jar")
                    && !name.endsWith("-tests.jar")
                    && !name.endsWith("-javadoc.jar");
              })
          .filter(Files::isRegularFile)
          .max(Comparator.comparing(AgentJars::modified))
          .map(f -> f.toAbsolutePath().normalize());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static List<Path> starts() {
    List<Path> starts = new ArrayList<>();
    try {
      var source = AgentJars.class.getProtectionDomain().getCodeSource();
      if (source != null) {
        starts.add(Path.of(source.getLocation().toURI()).toAbsolutePath().normalize());
      }
    } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
      // only the working directory then
    }
    starts.add(Path.of("").toAbsolutePath());
    return starts;
  }

  private static long modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }
}
