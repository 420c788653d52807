package ai.dstack.orchestrator.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real dstack 0.22.5 client (PyPI {@code dstack==0.22.5}) in {@code .tools/oracle-venv},
 * installed by {@code tools/oracle/setup.sh} when missing ({@code -Ddstack.oracle.python} names
 * another Python that has it).
 */
public final class DstackClient {
  private DstackClient() {}

  private static Path venvBin;

  /** The venv's {@code bin} directory, holding {@code python} and {@code dstack}. */
  public static synchronized Path bin() {
    if (venvBin == null) {
      String configured = System.getProperty("dstack.oracle.python", "");
      Path python =
          configured.isEmpty()
              ? RepositoryRoot.path().resolve(".tools/oracle-venv/bin/python")
              : Path.of(configured);
      if (!Files.isExecutable(python.resolveSibling("dstack"))) {
        Path root = RepositoryRoot.path();
        Processes.Result setup =
            Processes.run(
                List.of("bash", root.resolve("tools/oracle/setup.sh").toString()),
                root,
                Map.of(),
                Duration.ofMinutes(10));
        if (setup.exitCode() != 0) {
          throw new IllegalStateException("tools/oracle/setup.sh failed:\n" + setup.output());
        }
      }
      venvBin = python.getParent();
    }
    return venvBin;
  }

  /**
   * Runs the {@code dstack} CLI with {@code home} as its HOME (so {@code ~/.dstack} is a temp dir),
   * after marking today's update check done so it never leaves the machine.
   */
  public static Processes.Result cli(Path home, String... arguments) {
    try {
      Path lastCheck = home.resolve(".cache/.dstack/cli/last_check");
      Files.createDirectories(lastCheck.getParent());
      if (!Files.exists(lastCheck)) {
        Files.createFile(lastCheck);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    List<String> command = new java.util.ArrayList<>();
    command.add(bin().resolve("dstack").toString());
    command.addAll(List.of(arguments));
    return Processes.run(
        command,
        home,
        Map.of("HOME", home.toString(), "NO_COLOR", "1", "COLUMNS", "200"),
        Duration.ofMinutes(2));
  }

  /** Runs a Python script with the client's Python. */
  public static Processes.Result python(Path script, String... arguments) {
    List<String> command = new java.util.ArrayList<>();
    command.add(bin().resolve("python").toString());
    command.add(script.toString());
    command.addAll(List.of(arguments));
    return Processes.run(command, script.getParent(), Map.of(), Duration.ofMinutes(2));
  }
}
