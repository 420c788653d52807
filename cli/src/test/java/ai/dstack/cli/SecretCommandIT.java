package ai.dstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.cli.testing.Cli;
import ai.dstack.sdk.testing.LocalServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code dstack secret}: set, get, list and delete against a real server. */
class SecretCommandIT extends ServerFixture {
  /** The row of {@code name} in a secrets table, as its cells. */
  private static List<String> row(String table, String name) {
    var lines = table.lines().toList();
    assertEquals(List.of("NAME", "VALUE"), TaskRuns.words(lines.get(0)), table);
    return lines.stream()
        .map(TaskRuns::words)
        .filter(cells -> cells.get(0).equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " not in\n" + table));
  }

  @Test
  void setGetListAndDeleteRoundTrip() {
    String name = TaskRuns.name("cli-secret");
    var cli = cli();

    var set = cli.run("secret", "set", name, "first-value");
    assertEquals(ExitCodes.OK, set.exitCode(), set.toString());
    assertEquals("OK\n", set.out());

    var get = cli.run("secret", "get", name);
    assertEquals(ExitCodes.OK, get.exitCode(), get.toString());
    assertEquals(List.of(name, "first-value"), row(get.out(), name));

    for (var command : List.of(List.of("secret", "list"), List.of("secret"))) {
      var list = cli.run(command.toArray(String[]::new));
      assertEquals(ExitCodes.OK, list.exitCode(), list.toString());
      assertEquals(List.of(name, "******"), row(list.out(), name));
      assertFalse(list.out().contains("first-value"), "a value shown by list:\n" + list.out());
    }

    var update = cli.run("secret", "set", name, "second-value");
    assertEquals(ExitCodes.OK, update.exitCode(), update.toString());
    assertEquals(List.of(name, "second-value"), row(cli.run("secret", "get", name).out(), name));

    var delete = cli.run("secret", "delete", name, "-y");
    assertEquals(ExitCodes.OK, delete.exitCode(), delete.toString());
    assertEquals("OK\n", delete.out());
    assertFalse(cli.run("secret", "list").out().contains(name), "still listed after delete");
    var gone = cli.run("secret", "get", name);
    assertEquals(ExitCodes.FAILURE, gone.exitCode(), gone.toString());
  }

  @Test
  void deleteAsksFirstAndKeepsTheSecretWithoutAnAnswer() {
    String name = TaskRuns.name("cli-secret");
    var cli = cli();
    assertEquals(ExitCodes.OK, cli.run("secret", "set", name, "v").exitCode());

    var unanswered = cli.run("secret", "delete", name);
    assertEquals(ExitCodes.OK, unanswered.exitCode(), unanswered.toString());
    assertTrue(
        unanswered.err().contains("Delete the secret " + name + "? [y/n]"), unanswered.err());
    assertTrue(unanswered.err().contains("pass -y"), unanswered.toString());
    assertEquals(ExitCodes.OK, cli.run("secret", "get", name).exitCode(), "deleted unasked");

    var answered = cli.runWithInput("y\n", "secret", "delete", name);
    assertEquals(ExitCodes.OK, answered.exitCode(), answered.toString());
    assertEquals(ExitCodes.FAILURE, cli.run("secret", "get", name).exitCode(), "not deleted");
  }

  @Test
  void getOfAnUnknownSecretSaysItIsNotFound() {
    String name = TaskRuns.name("cli-secret");

    var result = cli().run("secret", "get", name);

    assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
    assertEquals("", result.out());
    assertEquals(
        "Error: Secret " + name + " not found in project main; `dstack secret` lists them\n",
        result.err());
  }

  @Test
  void deleteOfAnUnknownSecretSaysItIsNotFound() {
    String name = TaskRuns.name("cli-secret");

    var result = cli().run("secret", "delete", name, "-y");

    assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
    assertTrue(result.err().contains("Secret " + name + " not found"), result.toString());
  }

  @Test
  void aServerThatIsDownIsReportedWithItsUrl() {
    String dead = LocalServer.deadUrl();
    var result =
        Cli.withHome(home)
            .env("DSTACK_SERVER_URL", dead)
            .env("DSTACK_TOKEN", server.token())
            .env("DSTACK_PROJECT", "main")
            .run("secret", "list");

    assertEquals(ExitCodes.SERVER_UNREACHABLE, result.exitCode(), result.toString());
    assertTrue(result.err().contains(dead), result.toString());
  }

  @Test
  void aWrongTokenIsRefused() {
    var result =
        cli()
            .env("DSTACK_TOKEN", "not-a-token")
            .run("secret", "set", TaskRuns.name("cli-secret"), "v");

    assertEquals(ExitCodes.NOT_ALLOWED, result.exitCode(), result.toString());
  }
}
