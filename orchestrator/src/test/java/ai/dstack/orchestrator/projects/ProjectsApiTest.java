package ai.dstack.orchestrator.projects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.orchestrator.testing.Api;
import ai.dstack.orchestrator.testing.ServerContexts;
import ai.dstack.orchestrator.testing.ServerTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code /api/projects} as dstack's client sees it; run on SQLite and on PostgreSQL. */
abstract class ProjectsApiTest extends ServerTest {

  @Test
  void theMainProjectExistsFromTheStartOwnedByTheAdmin() {
    Api.Response main = api().post("/api/projects/main/get", ADMIN, null);

    assertEquals(200, main.status(), main.toString());
    JsonNode project = main.json();
    assertEquals("main", project.path("project_name").asString());
    assertEquals(4, UUID.fromString(project.path("project_id").asString()).version());
    assertEquals("admin", project.path("owner").path("username").asString());
    assertEquals("admin", project.path("members").path(0).path("project_role").asString());
    assertTrue(
        project.path("members").path(0).path("permissions").path("can_manage_secrets").asBoolean());
    assertTrue(project.path("backends").isArray());
    assertFalse(project.path("is_public").asBoolean());
  }

  @Test
  void aUserCreatesAProjectAndBecomesItsAdmin() {
    String user = unique("owner");
    String token = createUser(user, "user");
    String name = unique("proj");

    Api.Response created = createProject(token, name);

    assertEquals(200, created.status(), created.toString());
    assertEquals(user, created.json().path("owner").path("username").asString());
    JsonNode member = created.json().path("members").path(0);
    assertEquals(user, member.path("user").path("username").asString());
    assertEquals("admin", member.path("project_role").asString());
    assertEquals(200, api().post("/api/projects/" + name + "/get", token, null).status());
  }

  @Test
  void projectNamesAreCaseInsensitive() {
    String name = unique("Case");
    createProject(ADMIN, name);

    Api.Response duplicate = createProject(ADMIN, name.toLowerCase());
    Api.Response lookup = api().post("/api/projects/" + name.toUpperCase() + "/get", ADMIN, null);

    assertEquals("resource_exists", duplicate.errorCode());
    assertEquals(name, lookup.json().path("project_name").asString());
  }

  @Test
  void anInvalidNameGetsDstacksMessage() {
    Api.Response created = createProject(ADMIN, "bad/name");

    assertEquals(400, created.status());
    assertEquals("Project name should match regex '^[a-zA-Z0-9-_]{1,50}$'", created.errorMessage());
  }

  @Test
  void anUnknownProjectIsNotFoundAsDstackAnswersIt() {
    Api.Response missing = api().post("/api/projects/" + unique("none") + "/get", ADMIN, null);

    assertEquals(404, missing.status());
    assertEquals("Not found", missing.json().path("detail").path("msg").asString());
  }

  @Test
  void usersOwnAtMostTheirQuotaOfProjects() {
    String token = createUser(unique("quota"), "user");
    for (int i = 0; i < ServerContexts.PROJECT_QUOTA; i++) {
      assertEquals(200, createProject(token, unique("q")).status());
    }

    Api.Response overQuota = createProject(token, unique("q"));

    assertEquals("User project quota exceeded", overQuota.errorMessage());
  }

  @Test
  void listShowsMembersProjectsAndPublicOnesToUsers() {
    String user = unique("lister");
    String token = createUser(user, "user");
    String own = unique("own");
    createProject(token, own);
    String open = unique("open");
    api().post("/api/projects/create", ADMIN, Map.of("project_name", open, "is_public", true));
    String closed = unique("closed");
    createProject(ADMIN, closed);

    List<String> visible = names(api().post("/api/projects/list", token, null).json());
    List<String> joinedOnly =
        names(api().post("/api/projects/list", token, Map.of("include_not_joined", false)).json());
    List<String> byAdmin = names(api().post("/api/projects/list", ADMIN, Map.of()).json());

    assertTrue(visible.containsAll(List.of(own, open)), visible.toString());
    assertFalse(visible.contains(closed));
    assertEquals(List.of(own), joinedOnly);
    assertTrue(byAdmin.containsAll(List.of(own, open, closed)));
  }

  @Test
  void listWithAUsernameShowsOnlyTheirMembership() {
    String user = unique("member");
    createUser(user, "user");
    String project = unique("withmember");
    createProject(ADMIN, project);
    setMembers(ADMIN, project, ordered("admin", "admin", user, "manager"));

    Api.Response listed =
        api()
            .post(
                "/api/projects/list", ADMIN, Map.of("username", user, "return_total_count", true));

    assertEquals(1, listed.json().path("total_count").asInt(), listed.toString());
    JsonNode members = listed.json().path("projects").path(0).path("members");
    assertEquals(1, members.size());
    assertEquals(user, members.path(0).path("user").path("username").asString());
    assertEquals("manager", members.path(0).path("project_role").asString());
  }

  @Test
  void setMembersKeepsTheOrderAndSkipsUnknownUsers() {
    String a = unique("a");
    String b = unique("b");
    createUser(a, "user");
    createUser(b, "user");
    String project = unique("order");
    createProject(ADMIN, project);

    Api.Response set =
        setMembers(
            ADMIN, project, ordered(b, "user", "nobody", "user", "admin", "admin", a, "manager"));

    assertEquals(200, set.status(), set.toString());
    assertEquals(List.of(b, "admin", a), memberNames(set.json()));
  }

  @Test
  void aManagerCannotChangeWhoTheAdminsAre() {
    String manager = unique("mgr");
    String managerToken = createUser(manager, "user");
    String other = unique("other");
    createUser(other, "user");
    String project = unique("managed");
    createProject(ADMIN, project);
    setMembers(ADMIN, project, ordered("admin", "admin", manager, "manager"));

    Api.Response promote =
        setMembers(
            managerToken, project, ordered("admin", "admin", manager, "manager", other, "admin"));
    Api.Response addUser =
        setMembers(
            managerToken, project, ordered("admin", "admin", manager, "manager", other, "user"));
    Api.Response addAdmin =
        api()
            .post(
                "/api/projects/" + project + "/add_members",
                managerToken,
                Map.of("members", List.of(Map.of("username", other, "project_role", "admin"))));

    assertEquals(403, promote.status());
    assertEquals(200, addUser.status(), addUser.toString());
    assertEquals(403, addAdmin.status());
  }

  @Test
  void anyoneJoinsAPublicProjectAsAUserOnly() {
    String user = unique("joiner");
    String token = createUser(user, "user");
    String project = unique("public");
    api().post("/api/projects/create", ADMIN, Map.of("project_name", project, "is_public", true));

    Api.Response asManager = addMember(token, project, user, "manager");
    Api.Response asUser = addMember(token, project, user, "user");

    assertEquals(403, asManager.status());
    assertEquals(200, asUser.status(), asUser.toString());
    assertTrue(memberNames(asUser.json()).contains(user));
  }

  @Test
  void addMembersChangesRolesAndRefusesUnknownUsers() {
    String user = unique("promoted");
    createUser(user, "user");
    String project = unique("roles");
    createProject(ADMIN, project);
    addMember(ADMIN, project, user, "user");

    Api.Response promoted = addMember(ADMIN, project, user, "manager");
    Api.Response unknown = addMember(ADMIN, project, "nobody", "user");

    assertEquals(
        "manager", promoted.json().path("members").path(1).path("project_role").asString());
    assertEquals("User not found: nobody", unknown.errorMessage());
  }

  @Test
  void membersLeaveButTheLastAdminStays() {
    String user = unique("leaver");
    String token = createUser(user, "user");
    String project = unique("leave");
    createProject(token, project);
    String other = unique("stayer");
    String otherToken = createUser(other, "user");
    addMember(token, project, other, "user");

    Api.Response lastAdmin = removeMembers(token, project, List.of(user));
    Api.Response othersLeave = removeMembers(otherToken, project, List.of(other));
    Api.Response removeAllAdmins = removeMembers(ADMIN, project, List.of(user));

    assertEquals("Cannot leave project: you are the last admin", lastAdmin.errorMessage());
    assertEquals(200, othersLeave.status(), othersLeave.toString());
    assertEquals("Cannot remove all project admins", removeAllAdmins.errorMessage());
  }

  @Test
  void deleteRenamesTheProjectSoItsNameIsFree() {
    String project = unique("gone");
    createProject(ADMIN, project);

    Api.Response deleted =
        api().post("/api/projects/delete", ADMIN, Map.of("projects_names", List.of(project)));

    assertEquals(200, deleted.status(), deleted.toString());
    assertEquals(404, api().post("/api/projects/" + project + "/get", ADMIN, null).status());
    assertEquals(200, createProject(ADMIN, project).status());
  }

  @Test
  void deleteIsAllOrNothing() {
    String project = unique("kept");
    createProject(ADMIN, project);

    Api.Response deleted =
        api()
            .post(
                "/api/projects/delete",
                ADMIN,
                Map.of("projects_names", List.of(project, unique("missing"))));

    assertEquals("Failed to delete non-existent projects", deleted.errorMessage());
    assertEquals(200, api().post("/api/projects/" + project + "/get", ADMIN, null).status());
  }

  private Api.Response addMember(String token, String project, String user, String role) {
    return api()
        .post(
            "/api/projects/" + project + "/add_members",
            token,
            Map.of("members", List.of(Map.of("username", user, "project_role", role))));
  }

  private Api.Response removeMembers(String token, String project, List<String> users) {
    return api()
        .post("/api/projects/" + project + "/remove_members", token, Map.of("usernames", users));
  }

  private static List<String> names(JsonNode projects) {
    List<String> names = new ArrayList<>();
    projects.forEach(p -> names.add(p.path("project_name").asString()));
    return names;
  }

  private static List<String> memberNames(JsonNode project) {
    List<String> names = new ArrayList<>();
    project.path("members").forEach(m -> names.add(m.path("user").path("username").asString()));
    return names;
  }
}
