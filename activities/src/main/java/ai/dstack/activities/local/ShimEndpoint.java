package ai.dstack.activities.local;

import ai.dstack.core.agents.shim.HealthcheckResponse;
import ai.dstack.core.agents.shim.HostInfo;
import ai.dstack.core.agents.shim.ShimApi;
import ai.dstack.core.agents.shim.ShutdownRequest;
import ai.dstack.core.agents.shim.TaskListResponse;
import ai.dstack.core.agents.shim.TaskStatus;
import ai.dstack.core.agents.shim.TaskTerminateRequest;
import ai.dstack.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The few calls the local fleet's agent makes to its shim: health, host info, tasks, shutdown. */
final class ShimEndpoint {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration HEALTHCHECK_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** The shim answers host info once it has found the GPUs, which it may take 120 s to do. */
  private static final Duration HOST_INFO_TIMEOUT = Duration.ofSeconds(130);

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

  private final String host;
  private final int port;

  ShimEndpoint(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** Whether a dstack shim answers its healthcheck here. */
  boolean answers() {
    try {
      var health =
          Json.MAPPER.readValue(
              get(ShimApi.HEALTHCHECK, HEALTHCHECK_TIMEOUT), HealthcheckResponse.class);
      return ShimApi.SERVICE.equals(health.service());
    } catch (IOException e) {
      return false;
    }
  }

  HostInfo hostInfo() throws IOException {
    return Json.MAPPER.readValue(get(ShimApi.HOST_INFO, HOST_INFO_TIMEOUT), HostInfo.class);
  }

  /** How many tasks have not terminated. */
  long activeTasks() throws IOException {
    var tasks = Json.MAPPER.readValue(get(ShimApi.TASKS, REQUEST_TIMEOUT), TaskListResponse.class);
    return tasks.tasks().stream().filter(t -> t.status() != TaskStatus.TERMINATED).count();
  }

  /**
   * Terminates every task that has not terminated (SIGTERM, then the kill after {@code timeout}),
   * with {@code reason}; returns how many it told.
   */
  int terminateTasks(String reason, String message, Duration timeout) throws IOException {
    var tasks = Json.MAPPER.readValue(get(ShimApi.TASKS, REQUEST_TIMEOUT), TaskListResponse.class);
    var body = Json.write(new TaskTerminateRequest(reason, message, (int) timeout.toSeconds()));
    int told = 0;
    for (var task : tasks.tasks()) {
      if (task.status() != TaskStatus.TERMINATED) {
        send(
            HttpRequest.newBuilder(uri(ShimApi.terminateTask(task.id())))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(REQUEST_TIMEOUT.plus(timeout))
                .build());
        told++;
      }
    }
    return told;
  }

  /**
   * Asks the shim to exit. With {@code terminateTasks} it first refuses new tasks and terminates
   * its tasks (ours; dstack's shim leaves them running, as it does without).
   */
  void shutdown(boolean terminateTasks) throws IOException {
    send(
        HttpRequest.newBuilder(uri(ShimApi.SHUTDOWN))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    Json.write(new ShutdownRequest(false, terminateTasks))))
            .timeout(HEALTHCHECK_TIMEOUT)
            .build());
  }

  private String get(String path, Duration timeout) throws IOException {
    return send(HttpRequest.newBuilder(uri(path)).GET().timeout(timeout).build());
  }

  private String send(HttpRequest request) throws IOException {
    try {
      var response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IOException(
            request.method()
                + " "
                + request.uri()
                + " answered "
                + response.statusCode()
                + ": "
                + response.body());
      }
      return response.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while calling the shim", e);
    }
  }

  private URI uri(String path) {
    return URI.create("http://" + host + ":" + port + path);
  }
}
