package ai.dstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.cli.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dstack validate} and {@code dstack schema} as the packaged CLI runs them: no server. */
class ValidateCommandIT {
  @TempDir Path home;

  @Test
  void everyProblemOfEveryFileIsPrintedWithItsPositionAndTheExitCodeIsOne() throws IOException {
    Files.writeString(
        home.resolve("bad.dstack.yml"),
        "type: task\ncomands: [echo]\nresources:\n  gpu: A100:2:3\n");
    Files.writeString(home.resolve("good.dstack.yml"), "type: task\ncommands: [echo hi]\n");
    var result = Cli.withHome(home).run("validate", "bad.dstack.yml", "good.dstack.yml");
    assertEquals(ExitCodes.INVALID, result.exitCode(), result.toString());
    assertTrue(
        result
            .out()
            .contains("bad.dstack.yml:2:1 comands: unknown field; did you mean \"commands\"?"),
        result.toString());
    assertTrue(
        result.out().contains("bad.dstack.yml:4:8 resources.gpu: \"A100:2:3\" has two counts"),
        result.toString());
    assertTrue(result.out().contains("good.dstack.yml: valid task"), result.toString());
    assertEquals("1 of 2 file(s) invalid\n", result.err());
  }

  @Test
  void validFilesExitZero() throws IOException {
    Files.writeString(home.resolve("task.dstack.yml"), "type: task\ncommands: [echo hi]\n");
    var result = Cli.withHome(home).run("validate", "task.dstack.yml");
    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    assertEquals("task.dstack.yml: valid task\n", result.out());
  }

  @Test
  void schemaPrintsTheJsonSchemaOnStdout() {
    var result = Cli.withHome(home).run("schema");
    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    assertTrue(result.out().startsWith("{"), result.toString());
    assertTrue(result.out().contains("\"$schema\""), "a JSON Schema document");
  }
}
