package ai.dstack.orchestrator.fleets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.dstack.orchestrator.testing.Api;
import ai.dstack.orchestrator.testing.OnSqlite;
import ai.dstack.orchestrator.testing.ServerTest;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who may call the fleet-side endpoints, as dstack decides it: the project's members for fleets,
 * instances and volumes (and anyone for a public project's gateway list), its admins for changing
 * gateways; global admins everywhere, outsiders nowhere.
 */
@OnSqlite
class FleetsRolesTest extends ServerTest {

  enum Role {
    GLOBAL_ADMIN,
    PROJECT_ADMIN,
    PROJECT_MANAGER,
    PROJECT_USER,
    OUTSIDER
  }

  private static final Set<Role> MEMBERS =
      Set.of(Role.GLOBAL_ADMIN, Role.PROJECT_ADMIN, Role.PROJECT_MANAGER, Role.PROJECT_USER);
  private static final Set<Role> ADMINS = Set.of(Role.GLOBAL_ADMIN, Role.PROJECT_ADMIN);

  private static String project;
  private static Map<Role, String> tokens;

  static Stream<Arguments> cases() {
    Map<String, Object> ssh =
        Map.of(
            "configuration",
            Map.of("type", "fleet", "name", "f", "ssh_config", Map.of("hosts", List.of("h"))),
            "profile",
            Map.of());
    record Endpoint(String path, Object body, Set<Role> allowed) {}
    var endpoints =
        List.of(
            new Endpoint("fleets/list", Map.of("include_imported", true), MEMBERS),
            new Endpoint("fleets/get", Map.of("name", "local"), MEMBERS),
            new Endpoint("fleets/get_plan", Map.of("spec", ssh), MEMBERS),
            new Endpoint(
                "fleets/apply", Map.of("plan", Map.of("spec", ssh), "force", false), MEMBERS),
            new Endpoint("fleets/delete", Map.of("names", List.of("nope")), MEMBERS),
            new Endpoint(
                "fleets/delete_instances",
                Map.of("name", "nope", "instance_nums", List.of(0)),
                MEMBERS),
            new Endpoint(
                "instances/get", Map.of("id", "5b3f8a8e-9c43-4c3b-9d55-0f7c1d7f0c11"), MEMBERS),
            new Endpoint("volumes/list", null, MEMBERS),
            new Endpoint("volumes/get", Map.of("name", "v"), MEMBERS),
            new Endpoint("volumes/create", Map.of("configuration", Map.of()), MEMBERS),
            new Endpoint("volumes/delete", Map.of("names", List.of("v")), MEMBERS),
            new Endpoint("gateways/list", Map.of("include_imported", true), MEMBERS),
            new Endpoint("gateways/get", Map.of("name", "g"), MEMBERS),
            new Endpoint("gateways/get_plan", Map.of("spec", Map.of()), ADMINS),
            new Endpoint("gateways/delete", Map.of("names", List.of("g")), ADMINS),
            new Endpoint("gateways/set_default", Map.of("name", "g"), ADMINS));
    return endpoints.stream()
        .flatMap(
            e ->
                Stream.of(Role.values())
                    .map(r -> Arguments.of(e.path(), r, e.body(), e.allowed().contains(r))));
  }

  @ParameterizedTest(name = "{0} as {1}")
  @MethodSource("cases")
  void onlyTheRolesDstackAllowsGetThrough(String path, Role role, Object body, boolean allowed) {
    setUp();

    Api.Response answer =
        api().post("/api/project/" + project + "/" + path, tokens.get(role), body);

    if (allowed) {
      assertNotEquals(403, answer.status(), answer.toString());
      assertNotEquals(401, answer.status(), answer.toString());
      assertNotEquals(500, answer.status(), answer.toString());
    } else {
      assertEquals(403, answer.status(), answer.toString());
    }
  }

  @Test
  void anyoneListsAPublicProjectsGatewaysButNotItsFleets() {
    setUp();
    String open = unique("public");
    api().post("/api/projects/create", ADMIN, Map.of("project_name", open, "is_public", true));
    String outsider = tokens.get(Role.OUTSIDER);

    assertEquals(
        200, api().post("/api/project/" + open + "/gateways/list", outsider, Map.of()).status());
    assertEquals(
        403, api().post("/api/project/" + open + "/fleets/list", outsider, Map.of()).status());
  }

  private synchronized void setUp() {
    if (project != null) {
      return;
    }
    Map<Role, String> made = new EnumMap<>(Role.class);
    made.put(Role.GLOBAL_ADMIN, ADMIN);
    Map<Role, String> names = new EnumMap<>(Role.class);
    for (Role role : List.of(Role.PROJECT_ADMIN, Role.PROJECT_MANAGER, Role.PROJECT_USER)) {
      names.put(role, unique(role.name().toLowerCase().replace('_', '-')));
      made.put(role, createUser(names.get(role), "user"));
    }
    made.put(Role.OUTSIDER, createUser(unique("outsider"), "user"));
    String name = unique("roles");
    createProject(ADMIN, name);
    setMembers(
        ADMIN,
        name,
        ordered(
            "admin",
            "admin",
            names.get(Role.PROJECT_ADMIN),
            "admin",
            names.get(Role.PROJECT_MANAGER),
            "manager",
            names.get(Role.PROJECT_USER),
            "user"));
    tokens = made;
    project = name;
  }
}
