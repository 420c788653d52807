package ai.dstack.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dstack server}: the server is the repository's orchestrator, not part of this CLI. When
 * the CLI runs from a checkout of the repository (its jar lies under a directory holding {@code
 * scripts/mvn} and the {@code dstack} launcher), this runs {@code <checkout>/dstack server} with
 * the same flags and ends with its exit status; otherwise it says how to start a server.
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Start a server (runs the repository's `dstack server`, which builds the server on first"
          + " use).",
      "Each flag overrides the environment variable named beside it."
    })
final class ServerCommand implements Callable<Integer> {

  /** How long a Ctrl-C'ed CLI waits for the server it started to stop. */
  private static final long STOP_TIMEOUT_SECONDS = 60;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description = "The address the HTTP API listens on (default 127.0.0.1; DSTACK_SERVER_HOST).")
  String host;

  @Option(
      names = {"-p", "--port"},
      paramLabel = "PORT",
      description = "The port the HTTP API listens on (default 3000; DSTACK_SERVER_PORT).")
  Integer port;

  @Option(
      names = {"-l", "--log-level"},
      paramLabel = "LEVEL",
      description =
          "How much the server logs: DEBUG, INFO (default), WARNING, ERROR (DSTACK_SERVER_LOG_LEVEL).")
  String logLevel;

  @Option(
      names = {"-d", "--debug"},
      description = "Log at DEBUG level; short for -l debug.")
  boolean debug;

  @Option(
      names = {"-y", "--yes"},
      description =
          "Answer yes to the server's questions (e.g. make its project the default in config.yml).")
  boolean yes;

  @Option(
      names = {"-n", "--no"},
      description = "Answer no to the server's questions (e.g. leave config.yml as it is).")
  boolean no;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description =
          "The admin's token to use (DSTACK_SERVER_ADMIN_TOKEN; by default one is made on first start).")
  String token;

  @Override
  public Integer call() throws IOException {
    if (debug && logLevel != null) {
      throw new CliException("-d and -l contradict each other; give one", ExitCodes.USAGE);
    }
    Path launcher =
        launcher()
            .orElseThrow(
                () ->
                    new CliException(
                        "This dstack CLI cannot start a server: it does not run from a checkout"
                            + " of the dstack repository. Start one there with `./dstack server`"
                            + " (or run the server's jar), then point the CLI at it with `dstack"
                            + " project add --name main --url URL --token TOKEN`."));
    var command = new ArrayList<String>(List.of(launcher.toString(), "server"));
    command.addAll(arguments());
    var process =
        new ProcessBuilder(command).directory(launcher.getParent().toFile()).inheritIO().start();
    // Ctrl-C reaches the server too (same process group): let it stop before this CLI exits.
    var awaitServer =
        new Thread(
            () -> {
              try {
                process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "dstack-server-stop");
    Runtime.getRuntime().addShutdownHook(awaitServer);
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.INTERRUPTED;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(awaitServer);
      } catch (IllegalStateException shuttingDown) {
        // the hook is waiting for the server
      }
    }
  }

  /** The flags given, as the repository's {@code dstack server} takes them. */
  List<String> arguments() {
    var arguments = new ArrayList<String>();
    if (host != null) {
      arguments.addAll(List.of("--host", host));
    }
    if (port != null) {
      arguments.addAll(List.of("--port", port.toString()));
    }
    if (logLevel != null) {
      arguments.addAll(List.of("--log-level", logLevel));
    }
    if (debug) {
      arguments.add("--debug");
    }
    if (yes) {
      arguments.add("--yes");
    }
    if (no) {
      arguments.add("--no");
    }
    if (token != null) {
      arguments.addAll(List.of("--token", token));
    }
    return arguments;
  }

  /**
   * The repository's {@code dstack} launcher: in the nearest directory above this CLI's jar that
   * holds {@code scripts/mvn} and an executable {@code dstack} file.
   */
  static Optional<Path> launcher() {
    Path start;
    try {
      var source = DstackCommand.class.getProtectionDomain().getCodeSource();
      if (source == null) {
        return Optional.empty();
      }
      start = Path.of(source.getLocation().toURI()).toAbsolutePath();
    } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
      return Optional.empty();
    }
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path dstack = dir.resolve("dstack");
      if (Files.isRegularFile(dir.resolve("scripts").resolve("mvn"))
          && Files.isRegularFile(dstack)
          && Files.isExecutable(dstack)) {
        return Optional.of(dstack);
      }
    }
    return Optional.empty();
  }
}
