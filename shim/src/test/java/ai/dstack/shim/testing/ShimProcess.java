package ai.dstack.shim.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.dstack.core.agents.shim.ShimApi;
import ai.dstack.core.agents.shim.TaskInfoResponse;
import ai.dstack.core.agents.shim.TaskListResponse;
import ai.dstack.core.agents.shim.TaskStatus;
import ai.dstack.core.agents.shim.TaskSubmitRequest;
import ai.dstack.core.agents.shim.TaskTerminateRequest;
import ai.dstack.core.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shim as its own process ({@code java ai.dstack.shim.ShimMain}), on a free port of 127.0.0.1,
 * and a client for its API. Closing it terminates and removes every task, shuts the shim down and
 * kills it if it does not exit.
 */
public final class ShimProcess implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("shim listening on 127\\.0\\.0\\.1:(\\d+)");

  private final Process process;
  private final Path log;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;

  /** A JSON answer: status and body. */
  public record Answer(int status, String body) {
    public <T> T as(Class<T> type) {
      try {
        return Json.MAPPER.readValue(body, type);
      } catch (IOException e) {
        throw new AssertionError("cannot read " + type.getSimpleName() + " from " + body, e);
      }
    }
  }

  private ShimProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts the shim with these options after {@code --port 0 --home home}. */
  public static ShimProcess start(Path home, String... options) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), "ai.dstack.shim.ShimMain"));
    command.addAll(List.of("--port", "0", "--home", home.toString()));
    command.addAll(List.of(options));
    Path log = home.resolveSibling(home.getFileName() + "-shim.log");
    Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Integer> port = new CompletableFuture<>();
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
      return new ShimProcess(process, log, port.get(30, TimeUnit.SECONDS));
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IOException("the shim did not start: " + e + "\n" + Files.readString(log), e);
    }
  }

  public int port() {
    return port;
  }

  public Process process() {
    return process;
  }

  /** The shim's log so far, for failure messages. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  public Answer get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  public Answer post(String path, String json) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  public Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(
              request.timeout(Duration.ofSeconds(60)).build(),
              HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new AssertionError("request failed: " + e + "\nshim log:\n" + log(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public TaskInfoResponse submit(TaskSubmitRequest request) {
    Answer answer = post(ShimApi.TASKS, Json.write(request));
    assertEquals(200, answer.status(), () -> answer.body() + "\n" + log());
    return answer.as(TaskInfoResponse.class);
  }

  public TaskInfoResponse task(String id) {
    Answer answer = get(ShimApi.task(id));
    assertEquals(200, answer.status(), answer::body);
    return answer.as(TaskInfoResponse.class);
  }

  public TaskInfoResponse terminate(String id, int timeoutSeconds) {
    Answer answer =
        post(
            ShimApi.terminateTask(id),
            Json.write(new TaskTerminateRequest("terminated_by_user", "test", timeoutSeconds)));
    assertEquals(200, answer.status(), answer::body);
    return answer.as(TaskInfoResponse.class);
  }

  public void remove(String id) {
    Answer answer = post(ShimApi.removeTask(id), "");
    assertEquals(200, answer.status(), answer::body);
  }

  /** Polls the task until the condition holds; fails with the last state after the timeout. */
  public TaskInfoResponse awaitTask(
      String id, Predicate<TaskInfoResponse> condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    TaskInfoResponse info = task(id);
    while (!condition.test(info)) {
      if (System.nanoTime() > deadline) {
        fail(
            "task " + id + " did not get there within " + timeout + "; now " + info + "\n" + log());
      }
      sleep(50);
      info = task(id);
    }
    return info;
  }

  public TaskInfoResponse awaitStatus(String id, TaskStatus status, Duration timeout) {
    return awaitTask(id, t -> t.status() == status, timeout);
  }

  /** Terminates and removes every task, then shuts the shim down (killing it if it hangs). */
  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        for (TaskListResponse.Item item : get(ShimApi.TASKS).as(TaskListResponse.class).tasks()) {
          terminate(item.id(), 0);
          remove(item.id());
        }
        post(ShimApi.SHUTDOWN, "{\"force\":false}");
      }
    } finally {
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A port nothing listens on now (for runners). */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
