package ai.dstack.orchestrator.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.dstack.orchestrator.testing.Api;
import ai.dstack.orchestrator.testing.ServerTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every endpoint with every role, as dstack decides: no token or a wrong one is a 401; a role that
 * may not is a 403. Each case acts on a fresh private project with one member of each project role
 * and a run. The server has its local fleet, so the runs the cases apply really run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RoleMatrixTest extends ServerTest {

  enum Role {
    NO_TOKEN,
    WRONG_TOKEN,
    GLOBAL_ADMIN,
    PROJECT_ADMIN,
    PROJECT_MANAGER,
    PROJECT_USER,
    OUTSIDER
  }

  private static final Set<Role> ANYONE_SIGNED_IN =
      EnumSet.of(
          Role.GLOBAL_ADMIN,
          Role.PROJECT_ADMIN,
          Role.PROJECT_MANAGER,
          Role.PROJECT_USER,
          Role.OUTSIDER);
  private static final Set<Role> ADMIN_ONLY = EnumSet.of(Role.GLOBAL_ADMIN);
  private static final Set<Role> MEMBERS =
      EnumSet.of(Role.GLOBAL_ADMIN, Role.PROJECT_ADMIN, Role.PROJECT_MANAGER, Role.PROJECT_USER);
  private static final Set<Role> MANAGERS =
      EnumSet.of(Role.GLOBAL_ADMIN, Role.PROJECT_ADMIN, Role.PROJECT_MANAGER);
  private static final Set<Role> PROJECT_ADMINS = EnumSet.of(Role.GLOBAL_ADMIN, Role.PROJECT_ADMIN);

  /** The run every scene has, for the calls that read one. */
  private static final String SCENE_RUN = "matrix-run";

  /**
   * One endpoint: how to call it in a scene, who may, and whether an allowed call changes the scene
   * so that it needs a fresh one.
   */
  record Endpoint(String name, Function<Scene, Call> call, Set<Role> allowed, boolean consumes) {

    Endpoint(String name, Function<Scene, Call> call, Set<Role> allowed) {
      this(name, call, allowed, false);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A call: path and body (null for an empty POST). */
  record Call(String path, Object body) {}

  /**
   * What a case acts on.
   *
   * @param project a private project with one member of each role, {@code extra} as a user, and the
   *     secret {@code MATRIX}
   * @param target a user who is in no project
   * @param extra a project member with the user role, to remove
   * @param users the member of each project role
   * @param nonce unique to the case, for names it creates
   */
  record Scene(String project, String target, String extra, Map<Role, String> users, String nonce) {

    Scene withNonce(String newNonce) {
      return new Scene(project, target, extra, users, newNonce);
    }
  }

  static Stream<Arguments> cases() {
    List<Endpoint> endpoints =
        List.of(
            new Endpoint(
                "users/get_my_user",
                s -> new Call("/api/users/get_my_user", null),
                ANYONE_SIGNED_IN),
            new Endpoint(
                "users/list", s -> new Call("/api/users/list", Map.of()), ANYONE_SIGNED_IN),
            new Endpoint(
                "users/create",
                s ->
                    new Call(
                        "/api/users/create",
                        Map.of("username", s.target() + "x", "global_role", "user")),
                ADMIN_ONLY),
            new Endpoint(
                "users/update",
                s ->
                    new Call(
                        "/api/users/update", Map.of("username", s.target(), "global_role", "user")),
                ADMIN_ONLY),
            new Endpoint(
                "users/refresh_token",
                s -> new Call("/api/users/refresh_token", Map.of("username", s.target())),
                ADMIN_ONLY),
            new Endpoint(
                "users/delete",
                s -> new Call("/api/users/delete", Map.of("users", List.of(s.target()))),
                ADMIN_ONLY,
                true),
            new Endpoint(
                "projects/list", s -> new Call("/api/projects/list", null), ANYONE_SIGNED_IN),
            new Endpoint(
                "projects/create",
                s -> new Call("/api/projects/create", Map.of("project_name", s.nonce())),
                ANYONE_SIGNED_IN),
            new Endpoint(
                "projects/get",
                s -> new Call("/api/projects/" + s.project() + "/get", null),
                MEMBERS),
            new Endpoint(
                "projects/set_members",
                s ->
                    new Call(
                        "/api/projects/" + s.project() + "/set_members",
                        Map.of("members", members(s))),
                MANAGERS),
            new Endpoint(
                "projects/add_members",
                s ->
                    new Call(
                        "/api/projects/" + s.project() + "/add_members",
                        Map.of(
                            "members",
                            List.of(Map.of("username", s.target(), "project_role", "user")))),
                MANAGERS),
            new Endpoint(
                "projects/remove_members",
                s ->
                    new Call(
                        "/api/projects/" + s.project() + "/remove_members",
                        Map.of("usernames", List.of(s.extra()))),
                MANAGERS,
                true),
            new Endpoint(
                "projects/delete",
                s ->
                    new Call(
                        "/api/projects/delete", Map.of("projects_names", List.of(s.project()))),
                PROJECT_ADMINS,
                true),
            new Endpoint(
                "runs/list",
                s -> new Call("/api/project/" + s.project() + "/runs/list", Map.of()),
                MEMBERS),
            new Endpoint(
                "global runs/list", s -> new Call("/api/runs/list", Map.of()), ANYONE_SIGNED_IN),
            new Endpoint(
                "runs/get_plan",
                s ->
                    new Call(
                        "/api/project/" + s.project() + "/runs/get_plan",
                        Map.of("run_spec", runSpec(null))),
                MEMBERS),
            new Endpoint(
                "runs/apply",
                s ->
                    new Call(
                        "/api/project/" + s.project() + "/runs/apply",
                        Map.of("plan", Map.of("run_spec", runSpec(s.nonce())), "force", false)),
                MEMBERS),
            new Endpoint(
                "runs/submit",
                s ->
                    new Call(
                        "/api/project/" + s.project() + "/runs/submit",
                        Map.of("run_spec", runSpec(s.nonce()))),
                MEMBERS),
            new Endpoint(
                "runs/get",
                s ->
                    new Call(
                        "/api/project/" + s.project() + "/runs/get", Map.of("run_name", SCENE_RUN)),
                MEMBERS),
            new Endpoint(
                "logs/poll",
                s ->
                    new Call(
                        "/api/project/" + s.project() + "/logs/poll",
                        Map.of(
                            "run_name",
                            SCENE_RUN,
                            "job_submission_id",
                            UUID.randomUUID().toString(),
                            "limit",
                            10)),
                MEMBERS),
            new Endpoint(
                "runs/stop",
                s ->
                    new Call(
                        "/api/project/" + s.project() + "/runs/stop",
                        Map.of("runs_names", List.of(), "abort", false)),
                MEMBERS),
            new Endpoint(
                "runs/delete",
                s ->
                    new Call(
                        "/api/project/" + s.project() + "/runs/delete",
                        Map.of("runs_names", List.of())),
                MEMBERS),
            new Endpoint(
                "repos/init",
                s ->
                    new Call(
                        "/api/project/" + s.project() + "/repos/init",
                        Map.of("repo_id", "none", "repo_info", Map.of("repo_type", "virtual"))),
                MEMBERS),
            new Endpoint(
                "secrets/list",
                s -> new Call("/api/project/" + s.project() + "/secrets/list", null),
                PROJECT_ADMINS),
            new Endpoint(
                "secrets/get",
                s ->
                    new Call(
                        "/api/project/" + s.project() + "/secrets/get", Map.of("name", "MATRIX")),
                PROJECT_ADMINS),
            new Endpoint(
                "secrets/create_or_update",
                s ->
                    new Call(
                        "/api/project/" + s.project() + "/secrets/create_or_update",
                        Map.of("name", s.nonce(), "value", "v")),
                PROJECT_ADMINS),
            new Endpoint(
                "secrets/delete",
                s ->
                    new Call(
                        "/api/project/" + s.project() + "/secrets/delete",
                        Map.of("secrets_names", List.of("MATRIX"))),
                PROJECT_ADMINS,
                true));
    List<Arguments> cases = new ArrayList<>();
    for (Endpoint endpoint : endpoints) {
      for (Role role : Role.values()) {
        cases.add(Arguments.of(endpoint, role));
      }
    }
    return cases.stream();
  }

  /**
   * The cases' runs share the local fleet with the next test classes of the context: they get it
   * with every block free and nothing queued.
   */
  @AfterAll
  void leavesTheFleetIdle() throws InterruptedException {
    var fleets = "/api/project/" + fixture().shared().project() + "/fleets/list";
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    Api.Response listed = null;
    while (System.nanoTime() < deadline) {
      listed = api().post(fleets, ADMIN, Map.of());
      var active = api().post("/api/runs/list", ADMIN, Map.of("only_active", true, "limit", 100));
      if (listed.status() == 200
          && listed.json().path(0).path("instances").path(0).path("busy_blocks").asInt(-1) == 0
          && active.status() == 200
          && active.json().isEmpty()) {
        return;
      }
      Thread.sleep(200);
    }
    fail("the matrix's runs still hold the local fleet after 3 minutes: " + listed);
  }

  /** The users of each role and a scene for calls that leave it as it was, once per context. */
  private record Fixture(Map<Role, String> users, Map<Role, String> tokens, Scene shared) {}

  private static final Map<Class<?>, Fixture> FIXTURES = new ConcurrentHashMap<>();

  @ParameterizedTest(name = "{0} as {1}")
  @MethodSource("cases")
  void eachRoleGetsWhatDstackAllows(Endpoint endpoint, Role role) {
    boolean changesScene = endpoint.consumes() && endpoint.allowed().contains(role);
    Scene scene =
        (changesScene ? scene(fixture().users()) : fixture().shared()).withNonce(unique("n"));
    Call call = endpoint.call().apply(scene);

    Api.Response response = api().post(call.path(), fixture().tokens().get(role), call.body());

    int expected =
        role == Role.NO_TOKEN || role == Role.WRONG_TOKEN
            ? 401
            : endpoint.allowed().contains(role) ? 200 : 403;
    assertEquals(
        expected,
        response.status(),
        () ->
            endpoint
                + " as "
                + role
                + ": "
                + response
                + "\nproject: "
                + api().post("/api/projects/" + scene.project() + "/get", ADMIN, null)
                + "\nusers: "
                + fixture().users());
  }

  private Scene scene(Map<Role, String> users) {
    String project = unique("matrix");
    assertEquals(200, createProject(ADMIN, project).status());
    String extra = unique("extra");
    createUser(extra, "user");
    assertEquals(
        200,
        setMembers(
                ADMIN,
                project,
                ordered(
                    "admin",
                    "admin",
                    users.get(Role.PROJECT_ADMIN),
                    "admin",
                    users.get(Role.PROJECT_MANAGER),
                    "manager",
                    users.get(Role.PROJECT_USER),
                    "user",
                    extra,
                    "user"))
            .status());
    assertEquals(
        200,
        api()
            .post(
                "/api/project/" + project + "/secrets/create_or_update",
                ADMIN,
                Map.of("name", "MATRIX", "value", "v"))
            .status());
    var applied =
        api()
            .post(
                "/api/project/" + project + "/runs/apply",
                ADMIN,
                Map.of("plan", Map.of("run_spec", runSpec(SCENE_RUN)), "force", false));
    assertEquals(200, applied.status(), applied::toString);
    String target = unique("target");
    createUser(target, "user");
    return new Scene(project, target, extra, users, null);
  }

  /** A task that does nothing, named {@code runName} (null: the server names it). */
  private static Map<String, Object> runSpec(String runName) {
    Map<String, Object> spec = new HashMap<>();
    spec.put("run_name", runName);
    spec.put("configuration", Map.of("type", "task", "commands", List.of("true")));
    spec.put("repo_id", "none");
    spec.put("repo_data", Map.of("repo_type", "virtual"));
    return spec;
  }

  // set_members with the members the scene has: allowed to managers, since the admins stay.
  private static List<Map<String, String>> members(Scene scene) {
    return List.of(
        Map.of("username", "admin", "project_role", "admin"),
        Map.of("username", scene.users().get(Role.PROJECT_ADMIN), "project_role", "admin"),
        Map.of("username", scene.users().get(Role.PROJECT_MANAGER), "project_role", "manager"),
        Map.of("username", scene.users().get(Role.PROJECT_USER), "project_role", "user"),
        Map.of("username", scene.extra(), "project_role", "user"));
  }

  private Fixture fixture() {
    return FIXTURES.computeIfAbsent(
        getClass(),
        k -> {
          Map<Role, String> names = new EnumMap<>(Role.class);
          Map<Role, String> tokens = new EnumMap<>(Role.class);
          tokens.put(Role.GLOBAL_ADMIN, ADMIN);
          tokens.put(Role.WRONG_TOKEN, "not-a-token");
          for (Role role :
              List.of(Role.PROJECT_ADMIN, Role.PROJECT_MANAGER, Role.PROJECT_USER, Role.OUTSIDER)) {
            names.put(role, unique(role.name().toLowerCase().replace('_', '-')));
            tokens.put(role, createUser(names.get(role), "user"));
          }
          return new Fixture(names, tokens, scene(names));
        });
  }
}
