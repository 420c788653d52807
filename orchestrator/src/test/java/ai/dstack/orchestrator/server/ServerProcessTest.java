package ai.dstack.orchestrator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.orchestrator.DstackServer;
import ai.dstack.orchestrator.testing.DstackClient;
import ai.dstack.orchestrator.testing.Processes;
import ai.dstack.orchestrator.testing.ServerProcess;
import ai.dstack.orchestrator.testing.TemporalCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as a user runs it: a separate process with embedded defaults (its own Temporal dev
 * server, SQLite), driven by the real dstack 0.22.5 CLI, killed with SIGKILL and started again on
 * the same state, then stopped with Ctrl-C (SIGINT).
 */
class ServerProcessTest {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  @TempDir Path tmp;

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void cleanUp() throws IOException {
    started.forEach(Process::destroyForcibly);
    Path pidFile = tmp.resolve("server/temporal/dev-server.pid");
    if (Files.exists(pidFile)) {
      ProcessHandle.of(devServerPid()).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void startsEverythingServesTheRealCliAdoptsAfterACrashAndStopsOnCtrlC() throws Exception {
    int port = ServerProcess.freePort();
    String url = "http://127.0.0.1:" + port;
    Path clientHome = Files.createDirectories(tmp.resolve("client-home"));

    Process first = start(port);
    String firstOutput = awaitOutput(first, "The dstack server is running at " + url);
    String token = Files.readString(tmp.resolve("server/admin-token")).strip();

    assertTrue(firstOutput.contains("The admin token is " + token), firstOutput);
    assertTrue(firstOutput.contains("Temporal:  dev server 127.0.0.1:"), firstOutput);
    assertTrue(firstOutput.contains("Web UI:    http://127.0.0.1:"), firstOutput);
    assertTrue(firstOutput.contains("Database:  SQLite " + tmp.resolve("server/data/sqlite.db")));
    String clientConfig = Files.readString(tmp.resolve("server-home/.dstack/config.yml"));
    assertTrue(clientConfig.contains(token) && clientConfig.contains(url), clientConfig);

    Processes.Result added =
        DstackClient.cli(
            clientHome, "project", "add", "--name", "main", "--url", url, "--token", token, "-y");
    Processes.Result listed = DstackClient.cli(clientHome, "project", "list", "-v");

    assertEquals(0, added.exitCode(), added.output());
    assertEquals(0, listed.exitCode(), listed.output());
    assertTrue(listed.output().matches("(?s).*main\\s+" + url + "\\s+admin.*"), listed.output());

    long devServer = devServerPid();
    first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    assertTrue(ProcessHandle.of(devServer).map(ProcessHandle::isAlive).orElse(false));

    Process second = start(port);
    String secondOutput = awaitOutput(second, "The dstack server is running at " + url);

    assertTrue(secondOutput.contains("(adopted, pid " + devServer), secondOutput);
    assertTrue(secondOutput.contains("The admin token is kept in"), secondOutput);
    assertFalse(secondOutput.contains(token), secondOutput);
    Processes.Result again = DstackClient.cli(clientHome, "project", "list", "-v");
    assertTrue(again.output().contains("admin"), again.output());

    Processes.signal("INT", second.pid());
    assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the server did not stop on SIGINT");
    assertTrue(
        ProcessHandle.of(devServer).map(h -> h.onExit().isDone() || !h.isAlive()).orElse(true));
    assertFalse(Files.exists(tmp.resolve("server/temporal/dev-server.pid")));
  }

  @Test
  void aDatabaseUrlItCannotUseStopsStartUpWithAClearMessage() throws Exception {
    Process process =
        launch(
            ServerProcess.freePort(),
            Map.of("DSTACK_DATABASE_URL", "mysql://user:secret@localhost/dstack"));

    assertTrue(process.waitFor(120, TimeUnit.SECONDS));
    String output = output();
    assertEquals(1, process.exitValue(), output);
    assertTrue(output.contains("is neither PostgreSQL"), output);
    assertFalse(output.contains("secret"), output);
    // The dev server starts before the context; a start-up that fails stops it too.
    Path pidFile = tmp.resolve("server/temporal/dev-server.pid");
    if (Files.exists(pidFile)) {
      long pid = devServerPid();
      assertFalse(
          ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          "the Temporal dev server (pid " + pid + ") outlived the failed start");
    }
  }

  @Test
  void helpListsDstacksFlags() throws Exception {
    Process process = launch(0, Map.of(), "--help");

    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    String output = output();
    assertEquals(0, process.exitValue(), output);
    for (String flag : List.of("--host", "--port", "--token", "--log-level")) {
      assertTrue(output.contains(flag), output);
    }
  }

  private Process start(int port) throws IOException {
    return launch(port, Map.of());
  }

  private Process launch(int port, Map<String, String> env, String... extraArguments)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(
        List.of(
            "-Duser.home=" + Files.createDirectories(tmp.resolve("server-home")),
            "-cp",
            System.getProperty("java.class.path"),
            DstackServer.class.getName()));
    if (extraArguments.length > 0) {
      command.addAll(List.of(extraArguments));
    } else {
      command.addAll(List.of("--port", Integer.toString(port)));
    }
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve("server.log").toFile()));
    builder.environment().put("DSTACK_SERVER_DIR", tmp.resolve("server").toString());
    builder.environment().put("DSTACK_TEMPORAL_CLI", TemporalCli.path().toString());
    builder.environment().put("DSTACK_TEMPORAL_PORT", "0");
    builder.environment().put("DSTACK_TEMPORAL_UI_PORT", "0");
    builder.environment().remove("DSTACK_TEMPORAL_ADDRESS");
    builder.environment().remove("DSTACK_DATABASE_URL");
    builder.environment().putAll(env);
    Process process = builder.start();
    started.add(process);
    return process;
  }

  private String awaitOutput(Process process, String line) throws Exception {
    int from = output().length();
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      String output = output().substring(from);
      if (output.contains(line)) {
        return output;
      }
      if (!process.isAlive()) {
        throw new AssertionError("the server exited:\n" + output);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no '" + line + "' within " + START_TIMEOUT + ":\n" + output());
  }

  private String output() throws IOException {
    Path log = tmp.resolve("server.log");
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  private long devServerPid() throws IOException {
    Properties properties = new Properties();
    try (var in = Files.newInputStream(tmp.resolve("server/temporal/dev-server.pid"))) {
      properties.load(in);
    }
    return Long.parseLong(properties.getProperty("pid"));
  }
}
