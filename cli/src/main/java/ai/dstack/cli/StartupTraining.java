package ai.dstack.cli;

import ai.dstack.sdk.DstackConfig;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The run from which the packaged launcher ({@code bin/dstack}) writes the CLI's class-data
 * archive, once, on first use: the common commands ({@code ps}, {@code logs}, {@code apply}, ...)
 * run in this process against a loopback server that answers with recorded responses of our server
 * ({@code training/*.json}), so the archive holds the classes they load (picocli's model, the HTTP
 * client, Jackson and the wire records) and not only those of whichever command came first. Prints
 * nothing and leaves nothing behind; users never run it.
 */
public final class StartupTraining {
  private StartupTraining() {}

  /** Answers by the end of the request's path; anything else gets an empty list. */
  private static final Map<String, String> ANSWERS =
      Map.of(
          "/runs/list", "runs-list.json",
          "/runs/get", "run.json",
          "/runs/apply", "run.json",
          "/runs/get_plan", "get-plan.json",
          "/logs/poll", "logs-poll.json",
          "/fleets/list", "fleets-list.json");

  private static final List<String> NULL_ANSWERS = List.of("/repos/init", "/runs/stop");

  /** The commands run, each with its output discarded. */
  private static final List<List<String>> COMMANDS =
      List.of(
          List.of("--help"),
          List.of("ps"),
          List.of("ps", "-a", "-v"),
          List.of("ps", "--json"),
          List.of("logs", "sample"),
          List.of("apply", "-f", "task.dstack.yml", "-d", "-y"),
          List.of("apply", "-f", "task.dstack.yml", "-y"),
          List.of("offer"),
          List.of("fleet"),
          List.of("secret"),
          List.of("stop", "sample", "-y"),
          List.of("validate", "task.dstack.yml"),
          List.of("ps", "--project", "unknown"));

  /** How long one command may take before the training moves on without it. */
  private static final long COMMAND_MILLIS = 10_000;

  public static void main(String[] args) throws Exception {
    Path home = Files.createTempDirectory("dstack-cli-training-");
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", StartupTraining::answer);
    server.start();
    try {
      System.setProperty("user.home", home.toString());
      // Attached apply writes the job's log to the process's stdout.
      System.setOut(new PrintStream(OutputStream.nullOutputStream()));
      System.setErr(new PrintStream(OutputStream.nullOutputStream()));
      String url = "http://127.0.0.1:" + server.getAddress().getPort();
      DstackConfig.empty()
          .withProject("main", url, "training", true)
          .save(home.resolve(".dstack/config.yml"));
      Path task =
          Files.writeString(
              home.resolve("task.dstack.yml"),
              "type: task\nname: sample\ncommands:\n  - echo hello\n");
      for (List<String> command : COMMANDS) {
        String[] argv =
            command.stream()
                .map(a -> a.equals("task.dstack.yml") ? task.toString() : a)
                .toArray(String[]::new);
        var thread = new Thread(() -> run(argv), "training " + String.join(" ", command));
        thread.setDaemon(true);
        thread.start();
        thread.join(COMMAND_MILLIS);
      }
    } finally {
      server.stop(0);
      delete(home);
    }
    // The launcher dumps the archive as this JVM exits; a command still running must not hold it.
    System.exit(0);
  }

  private static void run(String[] argv) {
    var sink = new PrintWriter(Writer.nullWriter());
    var cli = DstackCommand.commandLine(argv);
    cli.setOut(sink);
    cli.setErr(sink);
    try {
      cli.execute(argv);
    } catch (RuntimeException e) {
      // a training command that fails still loaded what it loaded
    }
  }

  private static void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = exchange.getRequestURI().getPath();
      byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
      for (var answer : ANSWERS.entrySet()) {
        if (path.endsWith(answer.getKey())) {
          body = resource(answer.getValue());
        }
      }
      // The log has one line: later pages (after it) are empty, so a follower ends.
      if (path.endsWith("/logs/poll") && !request.contains("\"start_time\":null")) {
        body = "{\"logs\":[],\"next_token\":null}".getBytes(StandardCharsets.UTF_8);
      }
      if (NULL_ANSWERS.stream().anyMatch(path::endsWith)) {
        body = "null".getBytes(StandardCharsets.UTF_8);
      }
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = StartupTraining.class.getResourceAsStream("training/" + name)) {
      if (in == null) {
        throw new IOException("training/" + name + " is missing from the jar");
      }
      return in.readAllBytes();
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
