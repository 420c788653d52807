package ai.dstack.orchestrator.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.orchestrator.testing.Api;
import ai.dstack.orchestrator.testing.ServerTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code /api/users} as dstack's client sees it; run on SQLite and on PostgreSQL. */
abstract class UsersApiTest extends ServerTest {

  @Test
  void getMyUserAnswersWithTheCallersTokenAndSshKeys() {
    Api.Response me = api().post("/api/users/get_my_user", ADMIN, null);

    assertEquals(200, me.status(), me.toString());
    JsonNode user = me.json();
    assertEquals("admin", user.path("username").asString());
    assertEquals("admin", user.path("global_role").asString());
    assertEquals(4, UUID.fromString(user.path("id").asString()).version());
    assertEquals(ADMIN, user.path("creds").path("token").asString());
    assertTrue(user.path("ssh_public_key").asString().matches("ssh-rsa \\S+ admin\n"));
    assertTrue(user.path("ssh_private_key").asString().startsWith("-----BEGIN PRIVATE KEY-----\n"));
    assertTrue(user.path("permissions").path("can_create_projects").asBoolean());
    Instant.parse(user.path("created_at").asString());
  }

  @Test
  void createShowsTheNewTokenOnceAndItWorks() {
    String name = unique("alice");
    Api.Response created =
        api()
            .post(
                "/api/users/create",
                ADMIN,
                Map.of("username", name, "global_role", "user", "email", name + "@example.com"));

    assertEquals(200, created.status(), created.toString());
    assertEquals(name + "@example.com", created.json().path("email").asString());
    assertTrue(created.json().path("active").asBoolean());
    String token = created.json().path("creds").path("token").asString();
    Api.Response me = api().post("/api/users/get_my_user", token, null);
    assertEquals(name, me.json().path("username").asString());
    assertEquals("user", me.json().path("global_role").asString());
  }

  @Test
  void aDuplicateNameIsResourceExistsWhateverItsCase() {
    String name = unique("bob");
    createUser(name, "user");

    Api.Response again =
        api()
            .post(
                "/api/users/create",
                ADMIN,
                Map.of("username", name.toUpperCase(), "global_role", "user"));

    assertEquals(400, again.status());
    assertEquals("resource_exists", again.errorCode());
  }

  @Test
  void anInvalidUsernameGetsDstacksMessage() {
    Api.Response created =
        api()
            .post(
                "/api/users/create", ADMIN, Map.of("username", "no spaces", "global_role", "user"));

    assertEquals(400, created.status());
    assertEquals("error", created.errorCode());
    assertEquals("Username should match regex '^[a-zA-Z0-9-_]{1,60}$'", created.errorMessage());
  }

  @Test
  void getUserShowsOthersOnlyToAdmins() {
    String alice = unique("alice");
    String aliceToken = createUser(alice, "user");
    String bob = unique("bob");
    createUser(bob, "user");

    Api.Response byAdmin = api().post("/api/users/get_user", ADMIN, Map.of("username", bob));
    Api.Response self = api().post("/api/users/get_user", aliceToken, Map.of("username", alice));
    Api.Response other = api().post("/api/users/get_user", aliceToken, Map.of("username", bob));
    Api.Response missing = api().post("/api/users/get_user", ADMIN, Map.of("username", "nobody"));

    assertEquals(bob, byAdmin.json().path("username").asString());
    assertEquals(aliceToken, self.json().path("creds").path("token").asString());
    assertEquals("resource_not_exists", other.errorCode());
    assertEquals("resource_not_exists", missing.errorCode());
  }

  @Test
  void listShowsEveryoneToAdminsAndOnlyThemselvesToUsers() {
    String name = unique("carol");
    String token = createUser(name, "user");

    List<String> byAdmin = names(api().post("/api/users/list", ADMIN, null).json());
    List<String> byUser = names(api().post("/api/users/list", token, Map.of()).json());

    assertTrue(byAdmin.containsAll(List.of("admin", name)), byAdmin.toString());
    assertEquals(List.of(name), byUser);
  }

  @Test
  void listPagesByCreationTimeAndCountsWhenAsked() {
    String prefix = unique("page").replace("-", "_");
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(prefix + "x" + i);
      createUser(created.getLast(), "user");
    }

    Api.Response counted =
        api()
            .post(
                "/api/users/list",
                ADMIN,
                Map.of("name_pattern", prefix, "return_total_count", true, "limit", 2));
    JsonNode firstPage = counted.json().path("users");
    JsonNode last = firstPage.path(1);
    Api.Response next =
        api()
            .post(
                "/api/users/list",
                ADMIN,
                Map.of(
                    "name_pattern",
                    prefix,
                    "limit",
                    10,
                    "prev_created_at",
                    last.path("created_at").asString(),
                    "prev_id",
                    last.path("id").asString()));
    Api.Response ascending =
        api().post("/api/users/list", ADMIN, Map.of("name_pattern", prefix, "ascending", true));

    assertEquals(5, counted.json().path("total_count").asInt());
    List<String> newestFirst = new ArrayList<>(names(firstPage));
    newestFirst.addAll(names(next.json()));
    assertEquals(created.reversed(), newestFirst);
    assertEquals(created, names(ascending.json()));
  }

  @Test
  void namePatternMatchesUnderscoresLiterally() {
    String base = unique("under");
    createUser(base + "_x", "user");
    createUser(base + "ax", "user");

    List<String> found =
        names(api().post("/api/users/list", ADMIN, Map.of("name_pattern", base + "_x")).json());

    assertEquals(List.of(base + "_x"), found);
  }

  @Test
  void updateChangesRoleEmailAndActive() {
    String name = unique("dave");
    String token = createUser(name, "user");

    Api.Response updated =
        api()
            .post(
                "/api/users/update",
                ADMIN,
                Map.of("username", name, "global_role", "admin", "active", false));

    assertEquals(200, updated.status(), updated.toString());
    assertEquals("admin", updated.json().path("global_role").asString());
    assertFalse(updated.json().path("active").asBoolean());
    assertEquals(401, api().post("/api/users/get_my_user", token, null).status());
    Api.Response missing =
        api().post("/api/users/update", ADMIN, Map.of("username", "nobody", "global_role", "user"));
    assertEquals("resource_not_exists", missing.errorCode());
  }

  @Test
  void refreshTokenReplacesTheToken() {
    String name = unique("erin");
    String old = createUser(name, "user");

    Api.Response refreshed = api().post("/api/users/refresh_token", old, Map.of("username", name));

    String fresh = refreshed.json().path("creds").path("token").asString();
    assertNotEquals(old, fresh);
    assertEquals(401, api().post("/api/users/get_my_user", old, null).status());
    assertEquals(200, api().post("/api/users/get_my_user", fresh, null).status());
  }

  @Test
  void deleteFreesTheNameAndEndsMemberships() {
    String name = unique("frank");
    String token = createUser(name, "user");
    String project = unique("proj");
    createProject(ADMIN, project);
    setMembers(ADMIN, project, ordered("admin", "admin", name, "user"));

    Api.Response deleted = api().post("/api/users/delete", ADMIN, Map.of("users", List.of(name)));

    assertEquals(200, deleted.status(), deleted.toString());
    assertEquals(401, api().post("/api/users/get_my_user", token, null).status());
    JsonNode members = api().post("/api/projects/" + project + "/get", ADMIN, null).json();
    assertEquals(1, members.path("members").size(), members.toString());
    createUser(name, "user");
  }

  @Test
  void deleteIsAllOrNothingAndSparesTheAdmin() {
    String name = unique("gina");
    String token = createUser(name, "user");

    Api.Response withUnknown =
        api().post("/api/users/delete", ADMIN, Map.of("users", List.of(name, "nobody")));
    Api.Response admin = api().post("/api/users/delete", ADMIN, Map.of("users", List.of("admin")));

    assertEquals("Failed to delete non-existent users", withUnknown.errorMessage());
    assertEquals(200, api().post("/api/users/get_my_user", token, null).status());
    assertEquals("User 'admin' cannot be deleted", admin.errorMessage());
  }

  private static List<String> names(JsonNode users) {
    List<String> names = new ArrayList<>();
    users.forEach(u -> names.add(u.path("username").asString()));
    return names;
  }
}
