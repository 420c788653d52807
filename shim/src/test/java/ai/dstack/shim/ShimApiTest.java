package ai.dstack.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.agents.shim.ComponentListResponse;
import ai.dstack.core.agents.shim.ErrorResponse;
import ai.dstack.core.agents.shim.HealthcheckResponse;
import ai.dstack.core.agents.shim.HostInfo;
import ai.dstack.core.agents.shim.InstanceHealthResponse;
import ai.dstack.core.agents.shim.InstanceInfoResponse;
import ai.dstack.core.agents.shim.ShimApi;
import ai.dstack.core.agents.shim.TaskListResponse;
import ai.dstack.core.agents.shim.TaskSubmitRequest;
import ai.dstack.core.json.Json;
import ai.dstack.shim.testing.FakeRunnerJar;
import ai.dstack.shim.testing.ShimProcess;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The HTTP API of a running shim: dstack's endpoints answer as dstack's server expects, and every
 * bad request gets a 4xx with a JSON message, never a stack trace.
 */
class ShimApiTest {
  @TempDir static Path temp;
  static Path home;
  static ShimProcess shim;

  @BeforeAll
  static void start() throws Exception {
    home = Files.createDirectories(temp.resolve("home"));
    shim =
        ShimProcess.start(
            home, "--mode", "process", "--runner-jar", FakeRunnerJar.build(temp).toString());
  }

  @AfterAll
  static void stop() {
    shim.close();
  }

  @Test
  void healthcheckNamesTheServiceAndTheDstackVersionItSpeaks() {
    ShimProcess.Answer answer = shim.get(ShimApi.HEALTHCHECK);
    assertEquals(200, answer.status());
    assertEquals(
        new HealthcheckResponse("dstack-shim", "0.22.5"), answer.as(HealthcheckResponse.class));
  }

  @Test
  void reportsTheHostAndWritesDstacksHostInfoFile() throws Exception {
    HostInfo info = shim.get(ShimApi.HOST_INFO).as(HostInfo.class);
    assertTrue(info.cpus() > 0, info::toString);
    assertTrue(info.memory() > 0, info::toString);
    assertTrue(info.diskSize() > 0, info::toString);
    assertEquals(info.gpus().size(), info.gpuCount());
    HostInfo file =
        Json.MAPPER.readValue(home.resolve(ShimApi.HOST_INFO_FILE).toFile(), HostInfo.class);
    assertEquals(info, file);
  }

  @Test
  void instanceEndpointsAnswerAsDstacksServerReadsThem() {
    InstanceInfoResponse info = shim.get(ShimApi.INSTANCE_INFO).as(InstanceInfoResponse.class);
    HostInfo host = shim.get(ShimApi.HOST_INFO).as(HostInfo.class);
    if (host.gpus().isEmpty()) {
      assertNull(info.gpuVendor());
    } else {
      assertEquals(host.gpuVendor(), info.gpuVendor());
    }
    assertNull(shim.get(ShimApi.INSTANCE_HEALTH).as(InstanceHealthResponse.class).dcgm());
    assertEquals(
        2, shim.get(ShimApi.COMPONENTS).as(ComponentListResponse.class).components().size());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          malformed JSON        | {"id": "t1",                                   | 400 | malformed JSON: Unexpected end-of-input
          not an object         | [1, 2]                                         | 400 | the request needs a JSON object body
          a string              | "t1"                                           | 400 | the request needs a JSON object body
          trailing content      | {"id": "t1", "name": "n", "image_name": "i"} {} | 400 | malformed JSON: Trailing token
          empty body            | ''                                             | 400 | the request needs a JSON object body
          wrong type            | {"id": "t1", "name": "n", "image_name": "i", "gpu": "all"} | 400 | field gpu: cannot read "all" as int
          unknown network mode  | {"id": "t1", "name": "n", "image_name": "i", "network_mode": "overlay"} | 400 | field network_mode: cannot read "overlay" as NetworkMode
          missing id            | {"name": "n", "image_name": "i"}               | 400 | empty id
          missing name          | {"id": "t1", "image_name": "i"}                | 400 | empty name
          missing image         | {"id": "t1", "name": "n"}                      | 400 | empty image_name
          id with a slash       | {"id": "a/b", "name": "n", "image_name": "i"}  | 400 | id may only hold
          gpu below -1          | {"id": "t1", "name": "n", "image_name": "i", "gpu": -2} | 400 | gpu must be -1 (all), 0 or a count
          runner port too large | {"id": "t1", "name": "n", "image_name": "i", "runner_port": 70000} | 400 | runner_port must be
          """)
  void refusesBadSubmissions(String what, String body, int status, String message) {
    ShimProcess.Answer answer = shim.post(ShimApi.TASKS, body);
    assertError(answer, status, message);
    assertEquals(List.of(), shim.get(ShimApi.TASKS).as(TaskListResponse.class).tasks());
  }

  @Test
  void refusesRequestsAboutUnknownTasks() {
    assertError(shim.get(ShimApi.task("nope")), 404, "no task nope");
    assertError(
        shim.post(
            ShimApi.terminateTask("nope"),
            "{\"termination_reason\":\"\",\"termination_message\":\"\",\"timeout\":1}"),
        404,
        "no task nope");
    assertError(shim.post(ShimApi.removeTask("nope"), ""), 404, "no task nope");
  }

  @Test
  void refusesADuplicateSubmissionAndABadTerminate() throws Exception {
    TaskSubmitRequest request =
        TaskSubmitRequest.of("dup", "test", "unused", ShimProcess.freePort());
    shim.submit(request);
    assertError(
        shim.post(ShimApi.TASKS, Json.write(request)), 409, "task dup is already submitted");
    assertError(
        shim.post(ShimApi.terminateTask("dup"), "{\"timeout\": -1}"), 400, "timeout must be >= 0");
    assertError(shim.post(ShimApi.terminateTask("dup"), "not json"), 400, "malformed JSON");
    shim.terminate("dup", 0);
    shim.remove("dup");
  }

  @Test
  void unknownPathsAndMethodsGetJsonErrors() {
    assertError(shim.get("/api/nothing"), 404, "no endpoint GET /api/nothing");
    ShimProcess.Answer answer =
        shim.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + shim.port() + ShimApi.TASKS))
                .DELETE());
    assertError(answer, 405, "DELETE /api/tasks is not allowed; use [GET, POST]");
  }

  @Test
  void aBodyOverOneMebibyteIsRefused() {
    assertError(shim.post(ShimApi.TASKS, " ".repeat((1 << 20) + 1)), 413, "the body exceeds");
  }

  static void assertError(ShimProcess.Answer answer, int status, String messageStart) {
    assertEquals(status, answer.status(), answer.body());
    ErrorResponse error = answer.as(ErrorResponse.class);
    assertTrue(error.message().startsWith(messageStart), error.message());
    assertFalse(answer.body().contains("\tat "), "no stack trace: " + answer.body());
  }
}
