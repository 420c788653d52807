package ai.dstack.orchestrator.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.orchestrator.testing.DstackClient;
import ai.dstack.orchestrator.testing.OnSqlite;
import ai.dstack.orchestrator.testing.Processes;
import ai.dstack.orchestrator.testing.ServerTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dstack secret set/list/get/delete} of the real dstack 0.22.5 CLI against the server. */
@OnSqlite
class SecretsCliTest extends ServerTest {

  @TempDir Path home;

  @Test
  void theRealCliSetsListsGetsAndDeletesSecrets() {
    String project = unique("cli");
    assertEquals(200, createProject(ADMIN, project).status());
    add(project, ADMIN);

    Processes.Result set = secret(project, "set", "HF_TOKEN", "hf_cli_value");
    Processes.Result updated = secret(project, "set", "HF_TOKEN", "hf_updated");
    Processes.Result listed = secret(project, "list");
    Processes.Result got = secret(project, "get", "HF_TOKEN");
    Processes.Result deleted = secret(project, "delete", "HF_TOKEN", "-y");
    Processes.Result empty = secret(project);

    assertEquals(0, set.exitCode(), set.output());
    assertEquals("OK", set.output().strip());
    assertEquals(0, updated.exitCode(), updated.output());
    assertEquals(0, listed.exitCode(), listed.output());
    assertTrue(listed.output().matches("(?s).*HF_TOKEN\\s+\\*{6}.*"), listed.output());
    assertFalse(listed.output().contains("hf_"), listed.output());
    assertEquals(0, got.exitCode(), got.output());
    assertTrue(got.output().matches("(?s).*HF_TOKEN\\s+hf_updated.*"), got.output());
    assertEquals(0, deleted.exitCode(), deleted.output());
    assertEquals("OK", deleted.output().strip());
    assertEquals(0, empty.exitCode(), empty.output());
    assertFalse(empty.output().contains("HF_TOKEN"), empty.output());
  }

  @Test
  void theCliPrintsTheServersErrors() {
    String project = unique("cli-errors");
    assertEquals(200, createProject(ADMIN, project).status());
    add(project, ADMIN);
    String user = unique("cli-user");
    String userToken = createUser(user, "user");
    setMembers(ADMIN, project, ordered("admin", "admin", user, "user"));

    Processes.Result badName = secret(project, "set", "bad/name", "v");
    Processes.Result missing = secret(project, "get", "NOPE");
    Processes.Result missingDelete = secret(project, "delete", "NOPE", "-y");
    add(project, userToken);
    Processes.Result denied = secret(project, "set", "NAME", "v");

    assertEquals(1, badName.exitCode(), badName.output());
    assertTrue(
        badName.output().contains("Secret name should match regex '^[A-Za-z0-9-_]{1,200}$"),
        badName.output());
    assertEquals(1, missing.exitCode(), missing.output());
    assertTrue(missing.output().contains("Resource not found"), missing.output());
    assertEquals(1, missingDelete.exitCode(), missingDelete.output());
    assertTrue(missingDelete.output().contains("Secrets not found: NOPE"), missingDelete.output());
    assertEquals(1, denied.exitCode(), denied.output());
    // The client's own words for a 403.
    assertTrue(denied.output().contains("secrets/create_or_update is denied"), denied.output());
  }

  private void add(String project, String token) {
    Processes.Result added =
        dstack(
            "project",
            "add",
            "--name",
            project,
            "--url",
            "http://127.0.0.1:" + port,
            "--token",
            token,
            "-y");
    assertEquals(0, added.exitCode(), added.output());
  }

  // --project belongs to `dstack secret`, before its action.
  private Processes.Result secret(String project, String... arguments) {
    String[] command = new String[arguments.length + 3];
    command[0] = "secret";
    command[1] = "--project";
    command[2] = project;
    System.arraycopy(arguments, 0, command, 3, arguments.length);
    return dstack(command);
  }

  private Processes.Result dstack(String... arguments) {
    return DstackClient.cli(home, arguments);
  }
}
