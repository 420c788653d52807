package ai.dstack.cli.testing;

import ai.dstack.sdk.DstackConfig;
import ai.dstack.sdk.testing.LocalServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged {@code dstack} CLI ({@code target/dstack-cli-dist/dstack/bin/dstack}, as a user
 * unpacks it) run as a separate process, with a home directory of its own (its {@code
 * ~/.dstack/config.yml}) and no {@code DSTACK_*} variable from the test's environment.
 */
public final class Cli {
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  private final Path home;
  private final Map<String, String> env = new HashMap<>();

  private Cli(Path home) {
    this.home = home;
  }

  /** A CLI with home directory {@code home} and nothing configured. */
  public static Cli withHome(Path home) {
    return new Cli(home);
  }

  /**
   * A CLI with home directory {@code home} whose {@code config.yml} has the server's project {@code
   * main} (the admin's token) as its default, as {@code dstack project add} writes it.
   */
  public static Cli configuredFor(LocalServer server, Path home) {
    DstackConfig.empty()
        .withProject(server.project(), server.url(), server.token(), true)
        .save(home.resolve(".dstack/config.yml"));
    return new Cli(home);
  }

  /** Sets (or, with null, removes) an environment variable of the commands run from now on. */
  public Cli env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** The home directory. */
  public Path home() {
    return home;
  }

  /** What a finished command printed, and its exit code. */
  public record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
    }
  }

  /** Runs {@code dstack args...} with stdin closed, and waits for it to end. */
  public Result run(String... args) {
    return runWithInput("", args);
  }

  /** Runs {@code dstack args...} with {@code input} on stdin, and waits for it to end. */
  public Result runWithInput(String input, String... args) {
    Path out = temp("out");
    Path err = temp("err");
    try {
      var process = builder(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      try (var stdin = process.getOutputStream()) {
        stdin.write(input.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // the command may have exited without reading its input
      }
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(
            "dstack " + String.join(" ", args) + " did not end within " + TIMEOUT);
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } finally {
      out.toFile().delete();
      err.toFile().delete();
    }
  }

  /**
   * Starts {@code dstack args...} without waiting: for commands that follow a run (attached {@code
   * apply}, {@code ps -w}); the caller reads and signals the process.
   */
  public Process start(String... args) {
    try {
      return builder(args).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The packaged launcher, {@code bin/dstack}. */
  public static Path launcher() {
    Path bin = Path.of("target", "dstack-cli-dist", "dstack", "bin", "dstack").toAbsolutePath();
    if (!Files.isExecutable(bin)) {
      throw new IllegalStateException(
          bin + " is missing: the black-box tests run after `package` (mvn verify)");
    }
    return bin;
  }

  private ProcessBuilder builder(String... args) {
    var command = new ArrayList<String>(List.of(launcher().toString()));
    command.addAll(List.of(args));
    var builder = new ProcessBuilder(command).directory(home.toFile());
    var environment = builder.environment();
    environment.keySet().removeIf(k -> k.startsWith("DSTACK_") || k.equals("NO_COLOR"));
    environment.put("HOME", home.toString());
    environment.put("JAVA_HOME", System.getProperty("java.home"));
    env.forEach(
        (name, value) -> {
          if (value == null) {
            environment.remove(name);
          } else {
            environment.put(name, value);
          }
        });
    return builder;
  }

  private static Path temp(String suffix) {
    try {
      return Files.createTempFile("dstack-cli-", "." + suffix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
