package ai.dstack.activities.agents;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.agents.shim.ShimApi;
import ai.dstack.core.agents.shim.TaskInfoResponse;
import ai.dstack.core.agents.shim.TaskListResponse;
import ai.dstack.core.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The real shim, started from its jar as its own process on a free port of 127.0.0.1, running the
 * real runner's jar. Closing it removes its tasks, shuts it down, and kills what is left of it and
 * of the runners it started.
 */
final class ShimUnderTest implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("shim listening on 127\\.0\\.0\\.1:(\\d+)");
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final Process process;
  private final Path home;
  private final Path log;
  private final int port;

  private ShimUnderTest(Process process, Path home, Path log, int port) {
    this.process = process;
    this.home = home;
    this.log = log;
    this.port = port;
  }

  /** The shim's home: its task directories are under {@code runners/}. */
  Path home() {
    return home;
  }

  /** Starts the shim in {@code mode} ({@code process} or {@code docker}) with its home in dir. */
  static ShimUnderTest start(Path dir, String mode) throws IOException {
    Path home = Files.createDirectories(dir.resolve("shim-home")).toRealPath();
    Path log = dir.resolve("shim.log");
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(
        List.of(
            "-jar",
            jar("dstack.shim.jar", "shim").toString(),
            "--port",
            "0",
            "--home",
            home.toString(),
            "--mode",
            mode,
            "--runner-jar",
            jar("dstack.runner.jar", "runner").toString()));
    Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
    var out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    var port = new CompletableFuture<Integer>();
    Thread.startVirtualThread(
        () -> {
          try {
            for (String line; (line = out.readLine()) != null; ) {
              Matcher m = LISTENING.matcher(line);
              if (m.find()) {
                port.complete(Integer.parseInt(m.group(1)));
              }
            }
          } catch (IOException e) {
            // the shim is gone
          }
          port.completeExceptionally(new IOException("the shim exited before listening"));
        });
    try {
      return new ShimUnderTest(process, home, log, port.get(60, TimeUnit.SECONDS));
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IOException("the shim did not start: " + e + "\n" + Files.readString(log), e);
    }
  }

  /** An agent's jar, as the build passes it (module runner or shim builds it). */
  static Path jar(String property, String module) {
    String configured = System.getProperty(property, "");
    Path jar =
        configured.isEmpty()
            ? Path.of("../" + module + "/target/dstack-" + module + "-0.1.0-SNAPSHOT.jar")
            : Path.of(configured);
    assertTrue(
        Files.isRegularFile(jar),
        "no "
            + module
            + " jar at "
            + jar.toAbsolutePath().normalize()
            + "; build it first: scripts/mvn -q -pl runner,shim -am install -DskipTests");
    return jar.toAbsolutePath().normalize();
  }

  int port() {
    return port;
  }

  /** The shim's log so far, for failure messages. */
  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no shim log: " + e + ")";
    }
  }

  /** The task as the shim reports it, or null when it does not know it. */
  TaskInfoResponse task(String id) throws IOException, InterruptedException {
    var response = send("GET", ShimApi.task(id), null);
    return response.statusCode() == 404
        ? null
        : Json.MAPPER.readValue(response.body(), TaskInfoResponse.class);
  }

  /** Removes every task, shuts the shim down, then kills what is left of it and its runners. */
  @Override
  public void close() {
    List<ProcessHandle> started = new ArrayList<>(process.descendants().toList());
    try {
      if (process.isAlive()) {
        var tasks =
            Json.MAPPER.readValue(send("GET", ShimApi.TASKS, null).body(), TaskListResponse.class);
        for (var task : tasks.tasks()) {
          send(
              "POST",
              ShimApi.terminateTask(task.id()),
              "{\"termination_reason\":\"terminated_by_server\",\"timeout\":0}");
          send("POST", ShimApi.removeTask(task.id()), null);
        }
        send("POST", ShimApi.SHUTDOWN, "{\"force\":false}");
      }
    } catch (IOException e) {
      // killed below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // Runners (and their jobs) outlive a killed shim; they all work under its home.
      try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
        all.filter(this::worksUnderHome).forEach(started::add);
      }
      started.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
  }

  private boolean worksUnderHome(ProcessHandle handle) {
    try {
      return Path.of("/proc/" + handle.pid() + "/cwd").toRealPath().startsWith(home);
    } catch (IOException | SecurityException e) {
      return false;
    }
  }

  private HttpResponse<String> send(String method, String path, String json)
      throws IOException, InterruptedException {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** A port nothing listens on now. */
  static int freePort() throws IOException {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
