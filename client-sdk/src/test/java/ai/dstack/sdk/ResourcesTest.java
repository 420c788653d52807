package ai.dstack.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.api.fleets.ListInstancesRequest;
import ai.dstack.core.api.projects.ListProjectsRequest;
import ai.dstack.core.api.users.ListUsersRequest;
import ai.dstack.sdk.api.DstackApi;
import ai.dstack.sdk.api.DstackException;
import ai.dstack.sdk.testing.LocalServer;
import ai.dstack.sdk.testing.LocalServerExtension;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Secrets, fleets, offers and the server's other resources through the SDK, on a real server. */
@ExtendWith(LocalServerExtension.class)
class ResourcesTest {
  private Dstack dstack;
  private DstackApi api;

  @BeforeEach
  void connect(LocalServer server) {
    dstack = Dstack.of(server.url(), server.token(), server.project());
    api = dstack.api();
  }

  @AfterEach
  void disconnect() {
    dstack.close();
  }

  @Test
  void secretsRoundTrip() {
    String name = "sdk-" + UUID.randomUUID().toString().substring(0, 8);

    var created = dstack.setSecret(name, "s3cr3t");
    assertEquals(name, created.name());
    assertEquals("s3cr3t", dstack.secret(name).value());
    var listed = dstack.secrets().stream().filter(s -> s.name().equals(name)).findFirst();
    assertTrue(listed.isPresent());
    assertNull(listed.get().value(), "lists never show values");
    assertFalse(listed.get().toString().contains("s3cr3t"));

    dstack.setSecret(name, "changed");
    assertEquals("changed", dstack.secret(name).value());

    dstack.deleteSecrets(name);
    assertThrows(DstackException.NotFound.class, () -> dstack.secret(name));
  }

  @Test
  void theLocalFleetIsListedWithItsInstance() {
    var fleets = dstack.fleets();

    var local = fleets.stream().filter(f -> f.name().equals("local")).findFirst().orElseThrow();
    assertEquals("active", local.status());
    assertFalse(local.instances().isEmpty());
    assertEquals(local.id(), dstack.fleet("local").id());
    assertTrue(
        api.instances().list(ListInstancesRequest.defaults()).stream()
            .anyMatch(i -> local.id().equals(i.fleetId())));
    assertThrows(DstackException.NotFound.class, () -> dstack.fleet("no-such-fleet"));
  }

  @Test
  void offersComeFromTheLocalFleet() {
    var offers = dstack.offers();

    assertTrue(offers.totalOffers() >= 1, offers.toString());
    assertEquals("remote", offers.offers().getFirst().backend());
    var tooBig = dstack.offers(Map.of("cpu", 4096));
    assertEquals(0, tooBig.totalOffers());
  }

  @Test
  void theServerItsUsersAndProjects(LocalServer server) {
    assertEquals("0.22.5", api.server().getInfo().serverVersion());
    var me = api.users().getMyUser();
    assertEquals("admin", me.username());
    assertEquals(server.token(), me.creds().token());
    assertTrue(
        api.users().list(ListUsersRequest.defaults()).stream()
            .anyMatch(u -> u.username().equals("admin")));
    assertEquals("main", api.projects().get("main").projectName());
    assertTrue(
        api.projects().list(ListProjectsRequest.defaults()).stream()
            .anyMatch(p -> p.projectName().equals("main")));
    assertTrue(api.backends().listTypes().isEmpty());
  }

  @Test
  void volumesAndGatewaysAreListedAndNotFound() {
    assertTrue(api.volumes().list("main").isEmpty());
    assertTrue(api.gateways().list("main").isEmpty());
    assertThrows(DstackException.NotFound.class, () -> api.volumes().get("main", "v"));
    assertThrows(DstackException.NotFound.class, () -> api.gateways().get("main", "g"));
  }

  @Test
  void theServersOwnConfigFileConnects(LocalServer server) {
    // `dstack server` adds its project to the config of the user who runs it, as dstack's does.
    var fromConfig =
        Dstack.builder()
            .configFile(server.home().resolve(".dstack/config.yml"))
            .env(Map.of())
            .build();

    assertEquals("main", fromConfig.project());
    assertFalse(fromConfig.fleets().isEmpty());
  }
}
