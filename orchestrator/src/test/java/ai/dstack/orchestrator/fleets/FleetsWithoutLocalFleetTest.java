package ai.dstack.orchestrator.fleets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.activities.offers.FleetInstancesSource;
import ai.dstack.orchestrator.testing.Api;
import ai.dstack.orchestrator.testing.OnSqlite;
import ai.dstack.orchestrator.testing.ServerTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A server whose local fleet is off (here by default: it uses an existing Temporal cluster): no
 * fleet, no instance, and nothing to refuse deleting.
 */
@OnSqlite
class FleetsWithoutLocalFleetTest extends ServerTest {

  @Autowired LocalFleet localFleet;
  @Autowired FleetInstancesSource instances;

  @Test
  void thereIsNoFleet() {
    Api.Response listed = api().post("/api/project/main/fleets/list", ADMIN, Map.of());
    Api.Response all = api().post("/api/fleets/list", ADMIN, Map.of());
    Api.Response got = api().post("/api/project/main/fleets/get", ADMIN, Map.of("name", "local"));
    Api.Response deleted =
        api().post("/api/project/main/fleets/delete", ADMIN, Map.of("names", List.of("local")));
    Api.Response applied =
        api()
            .post(
                "/api/project/main/fleets/get_plan",
                ADMIN,
                Map.of("spec", Map.of("configuration", Map.of("name", "local"))));

    assertFalse(localFleet.enabled());
    assertTrue(localFleet.describe().getFirst().contains("Local fleet: off"));
    assertEquals("[]", listed.text());
    assertEquals("[]", all.text());
    assertEquals("resource_not_exists", got.errorCode(), got.toString());
    assertEquals(200, deleted.status(), deleted.toString());
    assertTrue(applied.errorMessage().contains("local fleet is off"), applied.toString());
    assertEquals(List.of(), instances.instances("main", "local"));
  }
}
