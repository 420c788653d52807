package ai.dstack.orchestrator.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The {@code temporal} binary, installed by {@code scripts/ensure-temporal.sh} when missing. */
public final class TemporalCli {
  private TemporalCli() {}

  private static Path path;

  /** Its path, installing it on first use. */
  public static synchronized Path path() {
    if (path == null) {
      Path root = RepositoryRoot.path();
      Processes.Result result =
          Processes.run(
              List.of("bash", root.resolve("scripts/ensure-temporal.sh").toString()),
              root,
              Map.of(),
              Duration.ofMinutes(5));
      if (result.exitCode() != 0) {
        throw new IllegalStateException("scripts/ensure-temporal.sh failed:\n" + result.output());
      }
      String[] lines = result.output().strip().split("\n");
      path = Path.of(lines[lines.length - 1].strip());
      if (!Files.isExecutable(path)) {
        throw new IllegalStateException("no temporal binary at " + path + ":\n" + result.output());
      }
    }
    return path;
  }
}
