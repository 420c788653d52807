package ai.dstack.orchestrator.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion and captures its output; sends signals. */
public final class Processes {
  private Processes() {}

  /**
   * The outcome of a command.
   *
   * @param exitCode its exit status
   * @param output stdout and stderr, interleaved
   */
  public record Result(int exitCode, String output) {}

  /** Runs {@code command} in {@code dir} with extra environment variables. */
  public static Result run(
      List<String> command, Path dir, Map<String, String> env, Duration timeout) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (dir != null) {
      builder.directory(dir.toFile());
    }
    builder.environment().putAll(env);
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      byte[][] output = new byte[1][];
      Thread reader =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      output[0] = process.getInputStream().readAllBytes();
                    } catch (IOException e) {
                      output[0] = new byte[0];
                    }
                  });
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(command + " did not finish within " + timeout);
      }
      reader.join();
      return new Result(process.exitValue(), new String(output[0], StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sends {@code signal} (e.g. {@code KILL}, {@code INT}) to process {@code pid}. */
  public static void signal(String signal, long pid) {
    Result result =
        run(
            List.of("kill", "-" + signal, Long.toString(pid)),
            null,
            Map.of(),
            Duration.ofSeconds(5));
    if (result.exitCode() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + pid + ": " + result.output());
    }
  }
}
