package ai.dstack.orchestrator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.orchestrator.testing.Api;
import ai.dstack.orchestrator.testing.OnSqlite;
import ai.dstack.orchestrator.testing.ServerTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What every endpoint shares: the version gate, dstack's error bodies, and answers for malformed
 * requests that are never a stack trace or a 500.
 */
@OnSqlite
class ApiConventionsTest extends ServerTest {

  @Test
  void getInfoReportsTheDstackVersionWithoutAToken() {
    Api.Response info = api().post("/api/server/get_info", null, null);

    assertEquals(200, info.status());
    assertEquals("0.22.5", info.json().path("server_version").asString());
  }

  @ParameterizedTest(name = "X-API-VERSION {0} -> {1}")
  @CsvSource({
    "0.22.5, 200",
    "0.22.9, 200",
    "0.21.3, 200",
    "0.19.0, 200",
    "0.22.6rc1, 200",
    "latest, 200",
    "0.0.0, 200",
    "0.0.0.dev1, 200",
    "0.23.0, 400",
    "0.23.0rc1, 400",
    "1.0.0, 400",
  })
  void theVersionGateFollowsDstacksMajorMinorRule(String version, int status) {
    Api.Response response =
        api().post("/api/users/get_my_user", ADMIN, null, Map.of("X-API-VERSION", version));

    assertEquals(status, response.status(), response.toString());
    if (status == 400) {
      assertEquals("error", response.errorCode());
      assertTrue(
          response.errorMessage().endsWith("is incompatible with the server version (0.22.5)."),
          response.errorMessage());
    }
  }

  @Test
  void anUnparsableVersionIsA400WithoutCode() {
    Api.Response response =
        api().post("/api/users/get_my_user", ADMIN, null, Map.of("X-API-VERSION", "banana"));

    assertEquals(400, response.status());
    assertTrue(response.json().path("detail").path(0).path("code").isNull());
    assertEquals("Invalid version: banana", response.errorMessage());
  }

  @Test
  void theVersionGateComesBeforeAuthentication() {
    Api.Response response =
        api().post("/api/users/get_my_user", null, null, Map.of("X-API-VERSION", "0.99.0"));

    assertEquals(400, response.status());
  }

  @Test
  void noTokenOrAWrongOneIs401() {
    Api.Response none = api().post("/api/users/get_my_user", null, null);
    Api.Response wrong = api().post("/api/users/get_my_user", "wrong", null);
    Api.Response notBearer =
        api().post("/api/users/get_my_user", null, null, Map.of("Authorization", "Basic YTpi"));

    assertEquals(401, none.status());
    assertEquals("Not authenticated", none.json().path("detail").path("msg").asString());
    assertEquals(401, wrong.status());
    assertEquals("Invalid token", wrong.json().path("detail").path("msg").asString());
    assertEquals(401, notBearer.status());
  }

  @Test
  void malformedJsonIsA422() {
    Api.Response response = api().post("/api/users/create", ADMIN, "{not json");

    assertEquals(422, response.status(), response.toString());
    assertEquals("json_invalid", response.json().path("detail").path(0).path("type").asString());
  }

  @Test
  void malformedJsonIsA422AlsoWhereTheBodyIsReadAsATree() {
    for (String path :
        List.of("/api/project/main/runs/list", "/api/events/list", "/api/project/main/gpus/list")) {
      Api.Response response = api().post(path, ADMIN, "{not json");

      assertEquals(422, response.status(), path + ": " + response);
      assertEquals(
          "json_invalid", response.json().path("detail").path(0).path("type").asString(), path);
    }
  }

  @Test
  void aMissingRequiredFieldIsA422NamingIt() {
    Api.Response response = api().post("/api/users/create", ADMIN, Map.of("username", "x"));

    assertEquals(422, response.status(), response.toString());
    assertEquals("missing", response.json().path("detail").path(0).path("type").asString());
    assertEquals(
        "global_role", response.json().path("detail").path(0).path("loc").path(1).asString());
  }

  @Test
  void anUnknownEnumValueIsA422() {
    Api.Response response =
        api().post("/api/users/create", ADMIN, Map.of("username", "x", "global_role", "root"));

    assertEquals(422, response.status(), response.toString());
    assertTrue(response.text().contains("root"));
  }

  @Test
  void anEmptyBodyWhereOneIsRequiredIsA422() {
    Api.Response response = api().post("/api/users/create", ADMIN, null);

    assertEquals(422, response.status(), response.toString());
  }

  @Test
  void aWrongTypeIsA422() {
    Api.Response response =
        api().post("/api/projects/delete", ADMIN, Map.of("projects_names", "main"));

    assertEquals(422, response.status(), response.toString());
  }

  @Test
  void unknownFieldsAreIgnored() {
    Api.Response response =
        api()
            .post(
                "/api/users/get_user",
                ADMIN,
                Map.of("username", "admin", "some_future_field", true));

    assertEquals(200, response.status(), response.toString());
  }

  @Test
  void aGetOnAPostEndpointIs405AndAnUnknownPathIs404() {
    Api.Response get = api().get("/api/users/list");
    Api.Response unknown = api().post("/api/nothing/here", ADMIN, null);

    assertEquals(405, get.status(), get.toString());
    assertEquals(404, unknown.status(), unknown.toString());
  }

  @Test
  void anAcceptItCannotServeIs406NotA500() {
    Api.Response response =
        api().post("/api/server/get_info", null, null, Map.of("Accept", "text/csv"));

    assertEquals(406, response.status(), response.toString());
  }

  @Test
  void errorsNeverCarryAStackTrace() {
    for (Api.Response response :
        new Api.Response[] {
          api().post("/api/users/create", ADMIN, "{not json"),
          api().post("/api/users/create", ADMIN, "[]"),
          api().post("/api/projects/%2e%2e/get", ADMIN, null),
          api().post("/api/users/list", ADMIN, Map.of("limit", -1)),
          api().post("/api/users/list", ADMIN, Map.of("name_pattern", "a%")),
        }) {
      assertTrue(response.status() < 500, response.toString());
      assertFalse(response.text().contains("Exception"), response.toString());
      assertFalse(response.text().contains("at ai.dstack"), response.toString());
    }
  }

  @Test
  void healthReadinessAndDstacksHealthcheckAnswer() {
    Api.Response health = api().get("/actuator/health");
    Api.Response readiness = api().get("/actuator/health/readiness");
    Api.Response liveness = api().get("/actuator/health/liveness");
    Api.Response healthcheck = api().get("/healthcheck");

    assertEquals(200, health.status(), health.toString());
    assertEquals("UP", health.json().path("components").path("temporal").path("status").asString());
    assertEquals("UP", health.json().path("components").path("db").path("status").asString());
    assertEquals(200, readiness.status(), readiness.toString());
    assertEquals(200, liveness.status(), liveness.toString());
    assertEquals("running", healthcheck.json().path("status").asString());
  }

  @Test
  void prometheusMetricsCoverRequestsTheJvmAndTemporal() throws InterruptedException {
    api().post("/api/server/get_info", null, null);

    Api.Response metrics = api().get("/actuator/prometheus");
    // The Temporal SDK reports every 10 s.
    for (int i = 0; i < 150 && !metrics.text().contains("temporal_request_total"); i++) {
      Thread.sleep(100);
      metrics = api().get("/actuator/prometheus");
    }

    assertEquals(200, metrics.status());
    assertTrue(metrics.text().contains("http_server_requests_seconds_count"), metrics.text());
    assertTrue(metrics.text().contains("jvm_memory_used_bytes"));
    assertTrue(metrics.text().contains("hikaricp_connections"));
    assertTrue(metrics.text().contains("temporal_request_total"));
  }
}
