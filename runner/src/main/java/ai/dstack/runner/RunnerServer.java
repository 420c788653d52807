package ai.dstack.runner;

import ai.dstack.core.agents.runner.HealthcheckResponse;
import ai.dstack.core.agents.runner.JobInfoResponse;
import ai.dstack.core.agents.runner.MetricsResponse;
import ai.dstack.core.agents.runner.RunnerApi;
import ai.dstack.core.agents.runner.SubmitBody;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The runner's HTTP API on the JDK's HTTP server, one virtual thread per request: dstack's paths,
 * JSON in dstack's wire format, every refusal a 4xx with an {@code ErrorResponse}.
 */
final class RunnerServer {
  /** A handler of one method and path. */
  @FunctionalInterface
  private interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  private record Route(String method, Handler handler) {}

  private final Job job;
  private final Metrics metrics;
  private final RunnerLog log;
  private final String version;
  private final Map<String, Route> routes;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private HttpServer server;

  RunnerServer(Job job, Metrics metrics, RunnerLog log, String version) {
    this.job = job;
    this.metrics = metrics;
    this.log = log;
    this.version = version;
    this.routes =
        Map.of(
            RunnerApi.HEALTHCHECK, new Route("GET", this::healthcheck),
            RunnerApi.METRICS, new Route("GET", this::metrics),
            RunnerApi.SUBMIT, new Route("POST", this::submit),
            RunnerApi.UPLOAD_ARCHIVE, new Route("POST", this::uploadArchive),
            RunnerApi.UPLOAD_CODE, new Route("POST", this::uploadCode),
            RunnerApi.RUN, new Route("POST", this::run),
            RunnerApi.PULL, new Route("GET", this::pull),
            RunnerApi.STOP, new Route("POST", this::stop));
  }

  /** Binds and serves; returns the address it listens on. */
  InetSocketAddress start(String host, int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, port), 64);
    server.setExecutor(executor);
    server.createContext("/", this::dispatch);
    server.start();
    return server.getAddress();
  }

  /** Stops serving, letting answers in flight finish for up to a second. */
  void stop() {
    server.stop(1);
    executor.shutdown();
  }

  private void dispatch(HttpExchange exchange) {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      Route route = routes.get(path);
      try {
        if (route == null) {
          throw ApiError.notFound("no such endpoint: " + path);
        }
        if (!route.method().equals(exchange.getRequestMethod())) {
          exchange.getResponseHeaders().set("Allow", route.method());
          throw ApiError.methodNotAllowed(
              exchange.getRequestMethod()
                  + " is not allowed on "
                  + path
                  + "; use "
                  + route.method());
        }
        route.handler().handle(exchange);
      } catch (ApiError e) {
        log.warn(
            "API error: %s %s: %d %s",
            exchange.getRequestMethod(), path, e.status(), e.getMessage());
        Exchanges.sendError(exchange, e.status(), e.getMessage());
      } catch (IOException | RuntimeException e) {
        log.error("Unexpected API error: %s %s: %s", exchange.getRequestMethod(), path, e);
        Exchanges.sendError(exchange, 500, "the runner failed to answer: " + e);
      }
    } catch (IOException | RuntimeException e) {
      // The client went away before the answer was written: nothing left to tell it.
    }
  }

  private void healthcheck(HttpExchange exchange) throws IOException {
    // Written by hand: Jackson takes a few hundred ms to get going, and the healthcheck is what
    // the shim waits on; RunnerMain warms Jackson up meanwhile.
    byte[] body = healthcheckJson(new HealthcheckResponse(RunnerApi.SERVICE, version));
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    try (var out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** The healthcheck as Json.MAPPER writes it; both fields are plain text without quotes. */
  static byte[] healthcheckJson(HealthcheckResponse health) {
    String json =
        "{\"service\":\""
            + health.service()
            + "\",\"version\":\""
            + health.version().replace("\\", "").replace("\"", "")
            + "\"}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private void metrics(HttpExchange exchange) throws IOException {
    Optional<MetricsResponse> figures = metrics.read();
    if (figures.isEmpty()) {
      throw ApiError.notFound("metrics are not available: the runner cannot read its cgroup");
    }
    Exchanges.sendJson(exchange, 200, figures.get());
  }

  private void submit(HttpExchange exchange) throws IOException {
    SubmitBody body = Exchanges.readJson(exchange, SubmitBody.class);
    if (body.jobSpec() == null) {
      throw ApiError.badRequest("invalid request body: job_spec is missing");
    }
    List<String> argv = body.jobSpec().argv();
    if (argv.isEmpty()
        || argv.getFirst().isEmpty()
        || body.jobSpec().shell() != null && body.jobSpec().commands().isEmpty()) {
      throw ApiError.badRequest("invalid request body: job_spec.commands is empty: nothing to run");
    }
    job.submit(body);
    Exchanges.sendOk(exchange);
  }

  private void uploadCode(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      job.uploadCode(in);
    }
    Exchanges.sendOk(exchange);
  }

  private void uploadArchive(HttpExchange exchange) throws IOException {
    MultipartFile form =
        MultipartFile.open(
            exchange.getRequestHeaders().getFirst("Content-Type"), exchange.getRequestBody());
    MultipartFile.Part part = form.firstPart();
    if (!part.fieldName().equals(RunnerApi.ARCHIVE_FIELD)) {
      throw ApiError.badRequest(
          "unexpected field "
              + part.fieldName()
              + ": the archive goes in field "
              + RunnerApi.ARCHIVE_FIELD);
    }
    if (part.fileName() == null || part.fileName().isEmpty()) {
      throw ApiError.badRequest("missing file name: the archive's file name is its id");
    }
    job.uploadArchive(part.fileName(), part.content());
    form.requireEnd();
    Exchanges.sendOk(exchange);
  }

  private void run(HttpExchange exchange) throws IOException {
    JobInfoResponse info = job.run();
    if (info == null) {
      Exchanges.sendOk(exchange);
    } else {
      Exchanges.sendJson(exchange, 200, info);
    }
  }

  private void pull(HttpExchange exchange) throws IOException {
    String raw = Exchanges.queryParameter(exchange, RunnerApi.TIMESTAMP_PARAM);
    long timestamp = 0;
    if (raw != null) {
      try {
        timestamp = Long.parseLong(raw);
      } catch (NumberFormatException e) {
        throw ApiError.badRequest("timestamp must be an integer, not '" + raw + "'");
      }
    }
    Exchanges.sendJson(exchange, 200, job.pull(timestamp));
  }

  private void stop(HttpExchange exchange) throws IOException {
    job.stop();
    Exchanges.sendOk(exchange);
  }
}
