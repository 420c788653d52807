package ai.dstack.core.runs.wire;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs tools/oracle/check_run_wire.py with the oracle's Python (dstack 0.22.5, installed by
 * tools/oracle/setup.sh and passed as {@code -Ddstack.oracle.python}); skips the test when none is
 * configured.
 */
final class OracleScript {
  private OracleScript() {}

  static final Path SCRIPT = Path.of("../tools/oracle/check_run_wire.py");

  /** What the script printed, and its exit status. */
  record Result(int exit, String output) {}

  static Result run(String... args) throws IOException, InterruptedException {
    var python = System.getProperty("dstack.oracle.python", "");
    Assumptions.assumeFalse(
        python.isEmpty(), "oracle not configured; scripts/test sets -Ddstack.oracle.python");
    assertTrue(Files.isExecutable(Path.of(python)), "oracle python missing: " + python);
    var command = new ArrayList<>(List.of(python, SCRIPT.toString()));
    command.addAll(List.of(args));
    var process = new ProcessBuilder(command).redirectErrorStream(false).start();
    var stderr = new StringBuilder();
    var errors =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    stderr.append(
                        new String(
                            process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                  } catch (IOException e) {
                    stderr.append(e);
                  }
                });
    var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    var exit = process.waitFor();
    errors.join();
    return new Result(exit, stderr.isEmpty() ? output : output + "\n[stderr]\n" + stderr);
  }
}
