package ai.dstack.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.api.users.CreateUserRequest;
import ai.dstack.core.api.users.GlobalRole;
import ai.dstack.core.yaml.ConfigError;
import ai.dstack.sdk.api.DstackApi;
import ai.dstack.sdk.api.DstackException;
import ai.dstack.sdk.api.RetryPolicy;
import ai.dstack.sdk.testing.LocalServer;
import ai.dstack.sdk.testing.LocalServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each failure as its own exception of the sealed family, against a real server (or none). */
@ExtendWith(LocalServerExtension.class)
class ErrorsTest {

  @Test
  void aMisspelledFieldIsAnInvalidConfigurationWithItsPathAndLineBeforeAnyCall() {
    // Nothing listens there: the configuration is refused before any call.
    Dstack dstack = Dstack.of(LocalServer.deadUrl(), "token", "main");
    String yaml = "type: task\nname: bad-one\ncommands:\n  - echo hi\nresourses:\n  cpu: 1\n";

    var invalid =
        assertThrows(DstackException.InvalidConfiguration.class, () -> dstack.applyYaml(yaml));

    assertEquals(0, invalid.status(), "refused by the SDK, not the server");
    ConfigError error = invalid.errors().getFirst();
    assertEquals("resourses", error.path());
    assertEquals(5, error.line());
    assertEquals(1, error.column());
    assertTrue(invalid.getMessage().contains("resources"), "suggests: " + invalid.getMessage());
  }

  @Test
  void everyErrorOfAConfigurationIsReported() {
    Dstack dstack = Dstack.of(LocalServer.deadUrl(), "token", "main");
    String yaml = "type: task\ncommands: echo\nresources:\n  gpu: A100:2:3\n";

    var invalid =
        assertThrows(DstackException.InvalidConfiguration.class, () -> dstack.applyYaml(yaml));

    var paths = invalid.errors().stream().map(ConfigError::path).toList();
    assertTrue(paths.containsAll(List.of("commands", "resources.gpu")), paths.toString());
  }

  @Test
  void aFleetConfigurationIsNotARun() {
    Dstack dstack = Dstack.of(LocalServer.deadUrl(), "token", "main");

    var invalid =
        assertThrows(
            DstackException.InvalidConfiguration.class,
            () -> dstack.applyYaml("type: fleet\nname: f\nnodes: 1\n"));

    assertEquals("type", invalid.errors().getFirst().path());
  }

  @Test
  void aWrongTokenIsUnauthorized(LocalServer server) {
    Dstack dstack = Dstack.of(server.url(), "not-a-token", server.project());

    var refused = assertThrows(DstackException.Unauthorized.class, dstack::fleets);

    assertEquals(401, refused.status());
    assertTrue(refused.url().toString().endsWith("/fleets/list"), refused.url().toString());
  }

  @Test
  void aUserOutsideTheProjectIsForbidden(LocalServer server) {
    var admin = DstackApi.builder(server.url(), server.token()).build();
    String username = "outsider-" + UUID.randomUUID().toString().substring(0, 8);
    var outsider =
        admin.users().create(new CreateUserRequest(username, GlobalRole.USER, null, null));
    assertEquals(username, admin.users().getUser(username).username());

    Dstack dstack = Dstack.of(server.url(), outsider.creds().token(), server.project());
    var refused = assertThrows(DstackException.Forbidden.class, dstack::secrets);

    assertEquals(403, refused.status());
    assertEquals(
        username,
        DstackApi.builder(server.url(), outsider.creds().token())
            .build()
            .users()
            .getMyUser()
            .username());
    admin.users().delete(List.of(username));
  }

  @Test
  void theApiVersionHeaderIsSentAndATooNewClientIsRefused(LocalServer server) {
    try (var api = DstackApi.builder(server.url(), server.token()).apiVersion("0.99.0").build()) {
      var refused = assertThrows(DstackException.ServerError.class, api.users()::getMyUser);

      assertEquals(400, refused.status());
      assertEquals("error", refused.code());
      assertTrue(refused.getMessage().contains("(0.99.0) is incompatible"), refused.getMessage());
    }
  }

  @Test
  void anUnknownProjectIsNotFound(LocalServer server) {
    var api = DstackApi.builder(server.url(), server.token()).build();

    var missing = assertThrows(DstackException.NotFound.class, () -> api.projects().get("nope"));

    assertEquals(404, missing.status());
  }

  @Test
  void anUnknownSecretIsNotFound(LocalServer server) {
    Dstack dstack = Dstack.of(server.url(), server.token(), server.project());

    var missing = assertThrows(DstackException.NotFound.class, () -> dstack.secret("nope-nope"));

    assertEquals(400, missing.status());
  }

  @Test
  void nothingListeningIsServerUnavailableAfterTheRetries() {
    String url = LocalServer.deadUrl();
    var retry = new RetryPolicy(3, Duration.ofMillis(200), 2, Duration.ofSeconds(1));
    Dstack dstack = Dstack.builder().url(url).token("t").project("main").retry(retry).build();

    long started = System.nanoTime();
    var down = assertThrows(DstackException.ServerUnavailable.class, dstack::fleets);
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertEquals(3, down.attempts());
    assertEquals(0, down.status());
    assertTrue(took.compareTo(Duration.ofMillis(600)) >= 0, "waited 0.2 s then 0.4 s: " + took);
    assertTrue(down.getMessage().contains(url), down.getMessage());
  }

  @Test
  void aRefusedConnectionIsRetriedEvenForAChange() {
    var api =
        DstackApi.builder(LocalServer.deadUrl(), "t")
            .retry(RetryPolicy.fixed(2, Duration.ofMillis(10)))
            .build();

    var down =
        assertThrows(
            DstackException.ServerUnavailable.class,
            () ->
                api.runs()
                    .stop(
                        "main", new ai.dstack.core.api.runs.StopRunsRequest(List.of("x"), false)));

    assertEquals(2, down.attempts(), "the request never left, so it is safe to send again");
  }

  @Test
  void theFamilyIsSealed() {
    var permitted = DstackException.class.getPermittedSubclasses();
    assertEquals(7, permitted.length);
    assertFalse(DstackException.class.isInterface());
  }
}
