package ai.dstack.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.agents.runner.ErrorResponse;
import ai.dstack.core.agents.runner.HealthcheckResponse;
import ai.dstack.core.agents.runner.MetricsResponse;
import ai.dstack.core.json.Json;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Requests the runner refuses get a 4xx and a JSON message, never a stack trace. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RunnerRequestsTest {
  @TempDir static Path dir;
  private static RunnerProcess runner;

  @BeforeAll
  static void startRunner() throws Exception {
    runner = RunnerProcess.start(dir);
  }

  @AfterAll
  static void stopRunner() throws Exception {
    runner.close();
  }

  @Test
  void healthcheckNamesTheServiceAndItsVersion() throws Exception {
    var response = runner.get("/api/healthcheck");

    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
    var health = Json.MAPPER.readValue(response.body(), HealthcheckResponse.class);
    assertEquals("dstack-runner", health.service());
    assertFalse(health.version().isEmpty());
  }

  @Test
  void metricsReportCgroupFiguresOrSayWhyNot() throws Exception {
    var response = runner.get("/api/metrics");

    if (response.statusCode() == 404) {
      assertTrue(message(response).startsWith("metrics are not available"), response.body());
      return;
    }
    assertEquals(200, response.statusCode(), response.body());
    var metrics = Json.MAPPER.readValue(response.body(), MetricsResponse.class);
    assertTrue(metrics.cpuUsageMicro() > 0, response.body());
    assertTrue(metrics.memoryUsageBytes() > 0, response.body());
    assertTrue(metrics.memoryWorkingSetBytes() <= metrics.memoryUsageBytes());
    assertTrue(response.body().contains("\"gpus\":["), response.body());
    assertTrue(response.body().contains("\"timestamp_micro\":"), response.body());
  }

  record BadRequest(
      String name,
      String method,
      String path,
      String contentType,
      String body,
      int status,
      String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<BadRequest> badRequests() {
    return List.of(
        new BadRequest(
            "malformed JSON",
            "POST",
            "/api/submit",
            "application/json",
            "{\"job_spec\": ",
            400,
            "malformed JSON"),
        new BadRequest(
            "not JSON at all",
            "POST",
            "/api/submit",
            "application/json",
            "hello",
            400,
            "malformed JSON: Unrecognized token 'hello'"),
        new BadRequest(
            "empty submit",
            "POST",
            "/api/submit",
            "application/json",
            "",
            400,
            "the request body must be a JSON object, and it is empty"),
        new BadRequest(
            "wrong type",
            "POST",
            "/api/submit",
            "application/json",
            "{\"job_spec\": {\"commands\": \"echo\"}}",
            400,
            "invalid request body at job_spec.commands"),
        new BadRequest(
            "no job spec",
            "POST",
            "/api/submit",
            "application/json",
            "{\"run\": {}}",
            400,
            "invalid request body: job_spec is missing"),
        new BadRequest(
            "nothing to run",
            "POST",
            "/api/submit",
            "application/json",
            "{\"job_spec\": {\"commands\": []}}",
            400,
            "invalid request body: job_spec.commands is empty"),
        new BadRequest(
            "not JSON content type",
            "POST",
            "/api/submit",
            "text/plain",
            "{}",
            415,
            "Content-Type must be application/json"),
        new BadRequest(
            "unknown path", "GET", "/api/nope", null, null, 404, "no such endpoint: /api/nope"),
        new BadRequest(
            "wrong method",
            "GET",
            "/api/submit",
            null,
            null,
            405,
            "GET is not allowed on /api/submit; use POST"),
        new BadRequest(
            "bad timestamp",
            "GET",
            "/api/pull?timestamp=yesterday",
            null,
            null,
            400,
            "timestamp must be an integer, not 'yesterday'"),
        new BadRequest(
            "run before submit",
            "POST",
            "/api/run",
            null,
            null,
            409,
            "run is accepted after submit and before run, and the runner is waiting for a job"),
        new BadRequest(
            "upload before submit",
            "POST",
            "/api/upload_code",
            "application/octet-stream",
            "x",
            409,
            "upload_code is accepted after submit and before run"),
        new BadRequest(
            "archive not multipart",
            "POST",
            "/api/upload_archive",
            "application/json",
            "{}",
            400,
            "multipart/form-data expected, got application/json"),
        new BadRequest(
            "archive without boundary",
            "POST",
            "/api/upload_archive",
            "multipart/form-data",
            "",
            400,
            "missing boundary in Content-Type"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void refusesBadRequestsWithAJsonMessage(BadRequest request) throws Exception {
    HttpResponse<String> response =
        switch (request.method()) {
          case "GET" -> runner.get(request.path());
          default ->
              request.body() == null
                  ? runner.post(request.path())
                  : runner.post(
                      request.path(),
                      request.contentType(),
                      request.body().getBytes(StandardCharsets.UTF_8));
        };

    assertEquals(request.status(), response.statusCode(), response.body());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
    String message = message(response);
    assertTrue(message.startsWith(request.message()), message);
    assertFalse(message.contains("\tat "), "no stack trace: " + message);
    assertFalse(message.contains("Exception"), "no exception names: " + message);
  }

  private static String message(HttpResponse<String> response) throws Exception {
    return Json.MAPPER.readValue(response.body(), ErrorResponse.class).message();
  }
}
