package ai.dstack.orchestrator.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.dstack.orchestrator.server.ServerSettings;
import ai.dstack.orchestrator.testing.Api;
import ai.dstack.orchestrator.testing.ServerTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/project/{project}/secrets} as dstack 0.22.5 serves it, and the values as they lie in
 * the database; run on SQLite and on PostgreSQL.
 */
abstract class SecretsApiTest extends ServerTest {

  private static final String NAME_MESSAGE =
      "Secret name should match regex '^[A-Za-z0-9-_]{1,200}$";

  @Autowired JdbcTemplate jdbc;
  @Autowired ServerSettings server;
  @Autowired SecretsService service;

  @Test
  void anAdminSetsListsGetsAndDeletesASecret() {
    String project = project();

    Api.Response set = set(project, "HF_TOKEN", "hf_abc123");
    Api.Response listed = call(project, "list", null);
    Api.Response got = call(project, "get", Map.of("name", "HF_TOKEN"));
    Api.Response deleted = call(project, "delete", Map.of("secrets_names", List.of("HF_TOKEN")));
    Api.Response gone = call(project, "get", Map.of("name", "HF_TOKEN"));

    assertEquals(200, set.status(), set.toString());
    UUID id = UUID.fromString(set.json().path("id").asString());
    assertEquals(4, id.version());
    assertEquals("hf_abc123", set.json().path("value").asString());
    assertEquals(1, listed.json().size(), listed.toString());
    JsonNode shown = listed.json().path(0);
    assertEquals("HF_TOKEN", shown.path("name").asString());
    assertTrue(shown.has("value") && shown.path("value").isNull(), "list never shows values");
    assertEquals(200, got.status(), got.toString());
    assertEquals(id.toString(), got.json().path("id").asString());
    assertEquals("hf_abc123", got.json().path("value").asString());
    assertEquals(200, deleted.status(), deleted.toString());
    assertEquals("resource_not_exists", gone.errorCode(), gone.toString());
    assertEquals("Resource not found", gone.errorMessage());
  }

  @Test
  void settingAnExistingNameUpdatesItsValueAndKeepsItsId() {
    String project = project();
    String id = set(project, "KEY", "first").json().path("id").asString();

    Api.Response again = set(project, "KEY", "second");
    Api.Response same = set(project, "KEY", "second");

    assertEquals(200, again.status(), again.toString());
    assertEquals(id, again.json().path("id").asString());
    assertEquals(id, same.json().path("id").asString());
    assertEquals("second", get(project, "KEY").json().path("value").asString());
    assertEquals(1, call(project, "list", null).json().size());
  }

  @Test
  void concurrentSetsOfOneNewNameAllSucceedAndLeaveOneSecret() throws Exception {
    String project = project();
    List<Callable<Api.Response>> sets = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String value = "value-" + i;
      sets.add(() -> set(project, "RACED", value));
    }

    List<Api.Response> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Future<Api.Response> answer : pool.invokeAll(sets)) {
        answers.add(answer.get());
      }
    }

    for (Api.Response answer : answers) {
      assertEquals(200, answer.status(), answer.toString());
    }
    assertEquals(1, answers.stream().map(a -> a.json().path("id").asString()).distinct().count());
    assertEquals(List.of("RACED"), names(call(project, "list", null).json()));
    assertTrue(get(project, "RACED").json().path("value").asString().startsWith("value-"));
  }

  @Test
  void listShowsTheNewestFirst() throws InterruptedException {
    String project = project();
    for (String name : List.of("OLDEST", "MIDDLE", "NEWEST")) {
      set(project, name, "v");
      Thread.sleep(5);
    }

    Api.Response listed = call(project, "list", null);

    assertEquals(List.of("NEWEST", "MIDDLE", "OLDEST"), names(listed.json()));
  }

  @Test
  void namesAreCaseSensitiveAndEachProjectHasItsOwn() {
    String a = project();
    String b = project();
    set(a, "token", "lower");
    set(a, "TOKEN", "upper");
    set(b, "token", "other project");

    assertEquals("lower", get(a, "token").json().path("value").asString());
    assertEquals("upper", get(a, "TOKEN").json().path("value").asString());
    assertEquals("other project", get(b, "token").json().path("value").asString());
    assertEquals("resource_not_exists", get(b, "TOKEN").errorCode());
  }

  static Stream<String> badNames() {
    return Stream.of("", "has space", "a/b", "dot.name", "ünïcode", "x".repeat(201), "new\nline");
  }

  @ParameterizedTest
  @MethodSource("badNames")
  void aBadNameGetsDstacksMessage(String name) {
    Api.Response set = set(project(), name, "v");

    assertEquals(400, set.status(), set.toString());
    assertEquals("error", set.errorCode());
    assertEquals(NAME_MESSAGE, set.errorMessage());
  }

  static Stream<String> goodNames() {
    return Stream.of("A-b_9", "0", "-_-", "x".repeat(200));
  }

  @ParameterizedTest
  @MethodSource("goodNames")
  void namesOfUpTo200LettersDigitsDashesAndUnderscoresAreFine(String name) {
    Api.Response set = set(project(), name, "v");

    assertEquals(200, set.status(), set.toString());
  }

  @Test
  void aValueMayHave5000CharactersAndNoMore() {
    String project = project();

    Api.Response longest = set(project, "LONGEST", "é".repeat(5000));
    Api.Response tooLong = set(project, "TOO_LONG", "x".repeat(5001));

    assertEquals(200, longest.status(), longest.toString());
    assertEquals("é".repeat(5000), get(project, "LONGEST").json().path("value").asString());
    assertEquals("Secret value length must not exceed 5000", tooLong.errorMessage());
    assertEquals("resource_not_exists", get(project, "TOO_LONG").errorCode());
  }

  @Test
  void deleteRemovesSeveralAtOnceOrNoneWhenAnyIsMissing() {
    String project = project();
    set(project, "A", "1");
    set(project, "B", "2");
    set(project, "C", "3");

    Api.Response both = call(project, "delete", Map.of("secrets_names", List.of("A", "B")));
    Api.Response partly =
        call(project, "delete", Map.of("secrets_names", List.of("C", "NOPE", "NEITHER")));
    Api.Response none = call(project, "delete", Map.of("secrets_names", List.of()));

    assertEquals(200, both.status(), both.toString());
    assertEquals("resource_not_exists", partly.errorCode(), partly.toString());
    assertEquals("Secrets not found: NOPE, NEITHER", partly.errorMessage());
    assertEquals(200, none.status(), none.toString());
    assertEquals(List.of("C"), names(call(project, "list", null).json()));
  }

  @Test
  void aBodyWithoutItsFieldsIsFastApisValidationError() {
    String project = project();

    Api.Response noValue = call(project, "create_or_update", Map.of("name", "N"));
    Api.Response noNames = call(project, "delete", Map.of());

    assertEquals(422, noValue.status(), noValue.toString());
    assertEquals("value", noValue.json().path("detail").path(0).path("loc").path(1).asString());
    assertEquals(422, noNames.status(), noNames.toString());
  }

  @Test
  void anUnknownProjectIsNotFoundAsDstackAnswersIt() {
    Api.Response missing =
        api().post("/api/project/" + unique("none") + "/secrets/list", ADMIN, null);

    assertEquals(404, missing.status(), missing.toString());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "global admin, 200",
    "project admin, 200",
    "project manager, 403",
    "project user, 403",
    "outsider of a public project, 403",
    "no token, 401"
  })
  void onlyGlobalAndProjectAdminsManageSecrets(String who, int status) {
    String owner = unique("owner");
    String ownerToken = createUser(owner, "user");
    String project = unique("roles");
    api()
        .post(
            "/api/projects/create", ownerToken, Map.of("project_name", project, "is_public", true));
    String manager = unique("manager");
    String managerToken = createUser(manager, "user");
    String user = unique("user");
    String userToken = createUser(user, "user");
    setMembers(ownerToken, project, ordered(owner, "admin", manager, "manager", user, "user"));
    set(ownerToken, project, "EXISTING", "v");
    String token =
        switch (who) {
          case "global admin" -> ADMIN;
          case "project admin" -> ownerToken;
          case "project manager" -> managerToken;
          case "project user" -> userToken;
          case "outsider of a public project" -> createUser(unique("outsider"), "user");
          default -> null;
        };

    List<Api.Response> answers =
        List.of(
            api().post(path(project, "list"), token, null),
            api().post(path(project, "get"), token, Map.of("name", "EXISTING")),
            set(token, project, "NEW", "v"),
            api()
                .post(
                    path(project, "delete"), token, Map.of("secrets_names", List.of("EXISTING"))));

    for (Api.Response answer : answers) {
      assertEquals(status, answer.status(), who + ": " + answer);
    }
    if (status == 403) {
      assertEquals(
          "Access denied", answers.getFirst().json().path("detail").path("msg").asString());
    }
  }

  @Test
  void valuesAreStoredEncryptedWithAFreshNonceEach() throws Exception {
    String project = project();
    String plaintext = "sk-live-" + UUID.randomUUID();
    set(project, "FIRST", plaintext);
    set(project, "SECOND", plaintext);

    String first = rawValue(project, "FIRST");
    String second = rawValue(project, "SECOND");

    assertTrue(first.startsWith("enc:aes:"), first);
    assertNotEquals(first, second, "equal values must not look equal at rest");
    for (String raw : List.of(first, second)) {
      assertFalse(raw.contains(plaintext), raw);
      assertFalse(raw.contains(base64(plaintext)), raw);
    }
    Path sqlite = server.dir().resolve("data/sqlite.db");
    if (Files.exists(sqlite)) {
      for (Path file : List.of(sqlite, sqlite.resolveSibling("sqlite.db-wal"))) {
        if (Files.exists(file)) {
          String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
          assertFalse(bytes.contains(plaintext), file + " holds the plaintext");
        }
      }
    }
  }

  @Test
  void theGeneratedKeyIsReadableByItsOwnerOnly() throws Exception {
    assumeTrue(System.getenv("DSTACK_SERVER_ENCRYPTION_KEY") == null, "a key is given");
    set(project(), "ANY", "v");

    Path keyFile = server.dir().resolve("encryption-key");

    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
  }

  @Test
  void aValueCopiedOntoAnotherSecretIsRefusedUntilItIsSetAgain() {
    String project = project();
    set(project, "SOURCE", "the source value");
    set(project, "TARGET", "the target value");
    jdbc.update(
        "UPDATE secrets SET value = ? WHERE name = 'TARGET'"
            + " AND project_id = (SELECT id FROM projects WHERE name = ?)",
        rawValue(project, "SOURCE"),
        project);

    Api.Response refused = get(project, "TARGET");
    Api.Response setAgain = set(project, "TARGET", "the target value");

    assertEquals(400, refused.status(), refused.toString());
    assertEquals(
        "Cannot decrypt secret TARGET: it was altered, or belongs to another secret. Start the"
            + " server with the key it was written with, or set the secret again.",
        refused.errorMessage());
    assertFalse(refused.text().contains("the source value"));
    assertEquals(200, setAgain.status(), setAgain.toString());
    assertEquals("the target value", get(project, "TARGET").json().path("value").asString());
  }

  @Test
  void projectSecretsGivesTheServerEveryValueDecryptedByName() {
    String project = project();
    set(project, "B_SECRET", "b value");
    set(project, "A_SECRET", "a value");
    UUID projectId =
        UUID.fromString(
            api()
                .post("/api/projects/" + project + "/get", ADMIN, null)
                .json()
                .path("project_id")
                .asString());

    Map<String, String> secrets = service.projectSecrets(projectId);

    assertEquals(List.of("A_SECRET", "B_SECRET"), new ArrayList<>(secrets.keySet()));
    assertEquals("a value", secrets.get("A_SECRET"));
    assertEquals("b value", secrets.get("B_SECRET"));
    assertTrue(service.projectSecrets(UUID.randomUUID()).isEmpty());
  }

  private String project() {
    String name = unique("secrets");
    assertEquals(200, createProject(ADMIN, name).status());
    return name;
  }

  private static String path(String project, String call) {
    return "/api/project/" + project + "/secrets/" + call;
  }

  private Api.Response call(String project, String call, Object body) {
    return api().post(path(project, call), ADMIN, body);
  }

  private Api.Response set(String project, String name, String value) {
    return set(ADMIN, project, name, value);
  }

  private Api.Response set(String token, String project, String name, String value) {
    return api()
        .post(path(project, "create_or_update"), token, Map.of("name", name, "value", value));
  }

  private Api.Response get(String project, String name) {
    return call(project, "get", Map.of("name", name));
  }

  private String rawValue(String project, String name) {
    return jdbc.queryForObject(
        "SELECT s.value FROM secrets s JOIN projects p ON p.id = s.project_id"
            + " WHERE p.name = ? AND s.name = ?",
        String.class,
        project,
        name);
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> names(JsonNode secrets) {
    List<String> names = new ArrayList<>();
    secrets.forEach(s -> names.add(s.path("name").asString()));
    return names;
  }
}
