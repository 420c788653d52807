package ai.dstack.shim.api;

import ai.dstack.core.agents.shim.ComponentInfo;
import ai.dstack.core.agents.shim.ComponentListResponse;
import ai.dstack.core.agents.shim.ErrorResponse;
import ai.dstack.core.agents.shim.HealthcheckResponse;
import ai.dstack.core.agents.shim.HostInfo;
import ai.dstack.core.agents.shim.InstanceHealthResponse;
import ai.dstack.core.agents.shim.InstanceInfoResponse;
import ai.dstack.core.agents.shim.ShimApi;
import ai.dstack.core.agents.shim.ShutdownRequest;
import ai.dstack.core.agents.shim.TaskListResponse;
import ai.dstack.core.agents.shim.TaskSubmitRequest;
import ai.dstack.core.agents.shim.TaskTerminateRequest;
import ai.dstack.core.agents.shim.TerminationReasons;
import ai.dstack.core.json.Json;
import ai.dstack.shim.tasks.TaskRejectedException;
import ai.dstack.shim.tasks.Tasks;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** The shim's HTTP API: dstack's shim API v2 plus {@value ShimApi#HOST_INFO}. */
public final class ShimHttpServer {
  /** Obtained on first use: initialising logging is slow, and not needed to start listening. */
  private static System.Logger log() {
    return System.getLogger(ShimHttpServer.class.getName());
  }

  private static final int MAX_BODY_BYTES = 1 << 20;
  private static final long HOST_INFO_WAIT_SECONDS = 120;

  /** Seconds between SIGTERM and the kill for the tasks a shutdown takes with it. */
  static final int SHUTDOWN_STOP_SECONDS = 2;

  /**
   * The healthcheck's constant {@link HealthcheckResponse}, written without Jackson: the first
   * healthcheck after start need not wait for the JSON mapper to load (a test pins it to
   * Jackson's).
   */
  static final PrecomputedJson HEALTHCHECK =
      new PrecomputedJson(
          "{\"service\":\"%s\",\"version\":\"%s\"}".formatted(ShimApi.SERVICE, ShimApi.VERSION));

  /** A JSON body written ahead of time. */
  record PrecomputedJson(String json) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Supplier<Tasks> tasks;
  private final CompletableFuture<HostInfo> hostInfo;
  private final Runnable onShutdown;
  private final List<Route> routes;

  /**
   * Binds (not yet serving).
   *
   * @param tasks the tasks, waited for by task requests while the engine starts up
   * @param hostInfo the host's resources, waited for by the requests that report them
   * @param onShutdown called after answering POST /api/shutdown
   */
  public ShimHttpServer(
      InetSocketAddress address,
      Supplier<Tasks> tasks,
      CompletableFuture<HostInfo> hostInfo,
      Runnable onShutdown)
      throws IOException {
    this.server = HttpServer.create(address, 128);
    this.tasks = tasks;
    this.hostInfo = hostInfo;
    this.onShutdown = onShutdown;
    this.routes = routes();
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  public void start() {
    server.start();
  }

  /** The bound address (the real port when started with port 0). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops listening; open exchanges get up to {@code delaySeconds} to finish. */
  public void stop(int delaySeconds) {
    server.stop(delaySeconds);
    executor.shutdownNow();
  }

  private List<Route> routes() {
    return List.of(
        Route.of(
            "GET",
            ShimApi.HEALTHCHECK,
            r -> new HealthcheckResponse(ShimApi.SERVICE, ShimApi.VERSION)),
        Route.of("POST", ShimApi.SHUTDOWN, this::shutdown),
        Route.of("GET", ShimApi.INSTANCE_HEALTH, r -> new InstanceHealthResponse(null)),
        Route.of("GET", ShimApi.INSTANCE_INFO, r -> instanceInfo()),
        Route.of("GET", ShimApi.HOST_INFO, r -> hostInfo()),
        Route.of("GET", ShimApi.COMPONENTS, r -> components()),
        Route.of("GET", ShimApi.TASKS, r -> new TaskListResponse(tasks.get().list())),
        Route.of("POST", ShimApi.TASKS, r -> tasks.get().submit(body(r, TaskSubmitRequest.class))),
        Route.of("GET", ShimApi.task("{id}"), r -> tasks.get().info(r.param("id"))),
        Route.of(
            "POST",
            ShimApi.terminateTask("{id}"),
            r -> tasks.get().terminate(r.param("id"), body(r, TaskTerminateRequest.class))),
        Route.of(
            "POST",
            ShimApi.removeTask("{id}"),
            r -> {
              tasks.get().remove(r.param("id"));
              return null;
            }));
  }

  private Object shutdown(Route.Request request) {
    ShutdownRequest body =
        request.body().length == 0
            ? new ShutdownRequest(false)
            : body(request, ShutdownRequest.class);
    log()
        .log(
            Level.INFO,
            "shutdown requested (force={0}, terminate_tasks={1})",
            body.force(),
            body.terminateTasks());
    if (body.terminateTasks()) {
      closeTasks();
    }
    Thread.ofVirtual()
        .start(
            () -> {
              if (body.terminateTasks()) {
                terminateAll();
              }
              try {
                Thread.sleep(100); // lets this answer go out first
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              onShutdown.run();
            });
    return null;
  }

  private void closeTasks() {
    try {
      tasks.get().close();
    } catch (RuntimeException e) {
      log().log(Level.WARNING, "shutdown: the tasks are not ready: " + e);
    }
  }

  private void terminateAll() {
    try {
      int terminated =
          tasks
              .get()
              .closeAndTerminateAll(
                  TerminationReasons.TERMINATED_BY_SERVER,
                  "the shim was shut down with its tasks",
                  SHUTDOWN_STOP_SECONDS);
      log().log(Level.INFO, "shutdown: terminated {0} task(s)", terminated);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log().log(Level.WARNING, "shutdown: could not terminate the tasks: " + e);
    }
  }

  private HostInfo hostInfo() throws Exception {
    return hostInfo.get(HOST_INFO_WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private InstanceInfoResponse instanceInfo() throws Exception {
    HostInfo info = hostInfo();
    if (info.gpus().isEmpty()) {
      return new InstanceInfoResponse(null, null);
    }
    String driver = info.gpus().get(0).driverVersion();
    return new InstanceInfoResponse(info.gpuVendor(), driver.isEmpty() ? null : driver);
  }

  private ComponentListResponse components() {
    return new ComponentListResponse(
        List.of(
            new ComponentInfo(ComponentInfo.RUNNER, ShimApi.VERSION, ComponentInfo.INSTALLED),
            new ComponentInfo(ComponentInfo.SHIM, ShimApi.VERSION, ComponentInfo.INSTALLED)));
  }

  /** The body as this record; a 400 naming the problem when it is not. */
  private static <T> T body(Route.Request request, Class<T> type) {
    if (request.body().length == 0) {
      throw ApiException.badRequest("the request needs a JSON object body");
    }
    try {
      T value =
          Json.MAPPER
              .readerFor(type)
              .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
              .readValue(request.body());
      if (value == null) {
        throw ApiException.badRequest("the request needs a JSON object body, not null");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(describe(e));
    } catch (IOException e) {
      throw ApiException.badRequest("cannot read the body: " + e.getMessage());
    }
  }

  /** Jackson's message without its source dump: what is wrong, at which field or position. */
  static String describe(JsonProcessingException e) {
    String field = "";
    if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
      field =
          mismatch.getPath().stream()
              .map(
                  ref ->
                      ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
              .collect(Collectors.joining("."))
              .replace(".[", "[");
    }
    String what = e.getOriginalMessage();
    if (e instanceof MismatchedInputException mismatch
        && mismatch.getPath().isEmpty()
        && mismatch.getTargetType() != null
        && what != null
        && what.startsWith("Cannot")) {
      return "the request needs a JSON object body";
    }
    if (e instanceof InvalidFormatException invalid) {
      what =
          "cannot read %s as %s"
              .formatted(Json.write(invalid.getValue()), invalid.getTargetType().getSimpleName());
    } else if (what != null) {
      int details = what.indexOf('\n');
      what = details < 0 ? what : what.substring(0, details);
    }
    JsonLocation at = e.getLocation();
    String where =
        at == null ? "" : " (line %d, column %d)".formatted(at.getLineNr(), at.getColumnNr());
    return (field.isEmpty() ? "malformed JSON: " : "field " + field + ": ") + what + where;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    int status = 200;
    Object answer;
    try (exchange) {
      try {
        answer = dispatch(method, path, exchange);
        if (answer == null) {
          answer = Map.of();
        }
      } catch (ApiException e) {
        status = e.status();
        answer = new ErrorResponse(e.code(), e.getMessage());
      } catch (TaskRejectedException e) {
        status =
            switch (e.kind()) {
              case INVALID -> 400;
              case NOT_FOUND -> 404;
              case CONFLICT -> 409;
            };
        String code =
            switch (e.kind()) {
              case INVALID -> "bad_request";
              case NOT_FOUND -> "not_found";
              case CONFLICT -> "conflict";
            };
        answer = new ErrorResponse(code, e.getMessage());
      } catch (Exception | LinkageError e) {
        log().log(Level.ERROR, method + " " + path + " failed", e);
        status = 500;
        answer = new ErrorResponse("internal_error", String.valueOf(e));
      }
      String json = answer instanceof PrecomputedJson p ? p.json() : Json.write(answer);
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    }
    if (status >= 500) {
      log().log(Level.WARNING, "{0} {1} -> {2}", method, path, status);
    }
  }

  private Object dispatch(String method, String path, HttpExchange exchange) throws Exception {
    List<String> segments = Route.segments(path);
    Set<String> allowed = new LinkedHashSet<>();
    for (Route route : routes) {
      Optional<Map<String, String>> params = route.match(segments);
      if (params.isEmpty()) {
        continue;
      }
      if (!route.method().equals(method)) {
        allowed.add(route.method());
        continue;
      }
      return route.handler().handle(new Route.Request(params.get(), readBody(exchange)));
    }
    if (!allowed.isEmpty()) {
      exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
      throw new ApiException(
          405,
          "method_not_allowed",
          "%s %s is not allowed; use %s".formatted(method, path, allowed));
    }
    throw new ApiException(404, "not_found", "no endpoint %s %s".formatted(method, path));
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw new ApiException(
            413, "payload_too_large", "the body exceeds " + MAX_BODY_BYTES + " bytes");
      }
      return body;
    }
  }
}
