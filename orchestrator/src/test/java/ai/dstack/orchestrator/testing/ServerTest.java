package ai.dstack.orchestrator.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.test.web.server.LocalServerPort;

/** What the API tests share: the client, the admin, and users and projects to act with. */
public abstract class ServerTest {

  @LocalServerPort protected int port;

  /** The admin's token. */
  protected static final String ADMIN = ServerContexts.ADMIN_TOKEN;

  protected Api api() {
    return new Api("http://127.0.0.1:" + port);
  }

  /** A name no other test uses. */
  protected static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Creates a user with the global role and returns their token. */
  protected String createUser(String username, String globalRole) {
    Api.Response created =
        api()
            .post(
                "/api/users/create",
                ADMIN,
                Map.of("username", username, "global_role", globalRole));
    assertEquals(200, created.status(), created.toString());
    return created.json().path("creds").path("token").asString();
  }

  /** Creates a project as the user with {@code token}. */
  protected Api.Response createProject(String token, String name) {
    return api().post("/api/projects/create", token, Map.of("project_name", name));
  }

  /** Sets a project's members: username to project role, in order. */
  protected Api.Response setMembers(String token, String project, Map<String, String> roles) {
    List<Map<String, String>> members =
        roles.entrySet().stream()
            .map(e -> Map.of("username", e.getKey(), "project_role", e.getValue()))
            .toList();
    return api()
        .post("/api/projects/" + project + "/set_members", token, Map.of("members", members));
  }

  /** An ordered map, for members in the order given. */
  protected static Map<String, String> ordered(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
