package ai.dstack.activities.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.dstack.core.agents.shim.ShimApi;
import ai.dstack.core.agents.shim.TaskListResponse;
import ai.dstack.core.agents.shim.TaskSubmitRequest;
import ai.dstack.core.agents.shim.TaskTerminateRequest;
import ai.dstack.core.json.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What the local shim's tests do to shims from outside: kill them as an operator or a crash would,
 * submit and remove tasks as the server would, and clean up every process a test left.
 */
final class ShimProcesses {
  private ShimProcesses() {}

  static final Path SHIM_JAR = Path.of(System.getProperty("dstack.shim.jar", "missing"));
  static final Path RUNNER_JAR = Path.of(System.getProperty("dstack.runner.jar", "missing"));

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Settings for tests: process mode, quick checks and restarts. */
  static LocalShimSettings settings(Path stateDir) {
    return LocalShimSettings.of(stateDir, SHIM_JAR, RUNNER_JAR)
        .withMode(LocalShim.Mode.PROCESS)
        .withCheckInterval(Duration.ofMillis(200))
        .withMaxBackoff(Duration.ofSeconds(2));
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** SIGKILL, and waits until it is gone. */
  static void kill(long pid) throws Exception {
    var process = ProcessHandle.of(pid);
    if (process.isPresent()) {
      process.get().destroyForcibly();
      process.get().onExit().get(30, TimeUnit.SECONDS);
    }
  }

  /** {@code kill -SIG pid} for the signals ProcessHandle does not send. */
  static void signal(String signal, long pid) throws Exception {
    var kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).inheritIO().start();
    assertEquals(0, kill.waitFor(), "kill -s " + signal + " " + pid);
  }

  static void await(String what, Duration timeout, BooleanSupplier condition) throws Exception {
    var deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      Thread.sleep(50);
    }
  }

  /** Submits a task that runs the runner as a process; returns its id. */
  static String submitTask(int shimPort, String id) throws Exception {
    var request = TaskSubmitRequest.of(id, "test-" + id, "unused-in-process-mode", freePort());
    var answer = post(shimPort, ShimApi.TASKS, Json.write(request));
    assertEquals(200, answer.statusCode(), answer::body);
    return id;
  }

  /** Terminates and removes every task of the shim. */
  static void removeTasks(int shimPort) throws Exception {
    var list =
        Json.MAPPER.readValue(
            HTTP.send(
                    HttpRequest.newBuilder(uri(shimPort, ShimApi.TASKS)).GET().build(),
                    HttpResponse.BodyHandlers.ofString())
                .body(),
            TaskListResponse.class);
    for (var task : list.tasks()) {
      post(
          shimPort,
          ShimApi.terminateTask(task.id()),
          Json.write(new TaskTerminateRequest("terminated_by_user", "test over", 0)));
      post(shimPort, ShimApi.removeTask(task.id()), "");
    }
  }

  /** Kills what a test left in its state dir: the recorded shim and the runners it started. */
  static void cleanUp(Path stateDir, List<Long> pids) {
    List<Long> all = new ArrayList<>(pids);
    try {
      var pidFile = stateDir.resolve(ShimRecord.PID_FILE);
      if (Files.exists(pidFile)) {
        all.add(Long.parseLong(Files.readString(pidFile).strip()));
      }
    } catch (IOException | NumberFormatException e) {
      // nothing recorded
    }
    var home = stateDir.resolve("home").toString();
    try (var processes = ProcessHandle.allProcesses()) {
      processes
          .filter(p -> p.info().commandLine().orElse("").contains(home))
          .forEach(p -> all.add(p.pid()));
    }
    for (var pid : all) {
      ProcessHandle.of(pid)
          .ifPresent(
              p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
              });
    }
    killRunnersUnder(stateDir.resolve("home").resolve("runners"));
  }

  /** Process-mode runners live in their own process groups, outside the shim's descendants. */
  private static void killRunnersUnder(Path runners) {
    try (var processes = ProcessHandle.allProcesses()) {
      processes
          .filter(
              p -> {
                try {
                  return Path.of("/proc/" + p.pid() + "/cwd")
                      .toRealPath()
                      .startsWith(runners.toRealPath());
                } catch (IOException e) {
                  return false;
                }
              })
          .forEach(ProcessHandle::destroyForcibly);
    }
  }

  static int freePort() throws IOException {
    try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static HttpResponse<String> post(int port, String path, String json) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri(port, path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .timeout(Duration.ofSeconds(60))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** The session id of a process (field 6 of /proc/PID/stat), to tell whom a Ctrl-C reaches. */
  static long session(long pid) throws IOException {
    var stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[3]);
  }
}
