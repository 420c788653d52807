package ai.dstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dstack validate} and {@code dstack schema}, run in-process with captured output. */
class ValidateCommandTest {
  @TempDir Path dir;

  record Result(int exitCode, String out, String err) {}

  static Result run(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var cli = DstackCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void validFilesExitZeroAndSayWhatTheyAre() throws IOException {
    var task = write("task.dstack.yml", "type: task\ncommands: [echo hi]\n");
    var result = run("validate", task.toString());
    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    assertEquals(task + ": valid task\n", result.out());
  }

  @Test
  void everyErrorOfEveryFileIsPrintedWithPositionPathAndSuggestion() throws IOException {
    var first =
        write(
            "a.dstack.yml",
            "type: task\ncomands: [echo]\nresources:\n  gpu: A100:2:3\n  memory: 8G\nimage: python:3.12\n");
    var second = write("b.dstack.yml", "type: tsak\n");
    var good = write("c.dstack.yml", "type: task\ncommands: [echo]\n");
    var result = run("validate", first.toString(), second.toString(), good.toString());
    assertEquals(ExitCodes.INVALID, result.exitCode(), result.toString());
    assertEquals(
        first
            + ":2:1 comands: unknown field; did you mean \"commands\"?\n"
            + first
            + ":4:8 resources.gpu: \"A100:2:3\" has two counts; write one, e.g. \"A100:80GB:2\"\n"
            + first
            + ":5:11 resources.memory: \"8G\" is not a size; write e.g. 16GB, 512MB, 1TB or a"
            + " number of GB\n"
            + second
            + ":1:7 type: \"tsak\" is not a configuration type; expected one of dev-environment,"
            + " task, service, fleet, volume, gateway; did you mean \"task\"?\n"
            + good
            + ": valid task\n",
        result.out());
    assertEquals("2 of 3 file(s) invalid\n", result.err());
  }

  @Test
  void aMissingFileIsReportedNotThrown() {
    var result = run("validate", dir.resolve("nope.yml").toString());
    assertEquals(ExitCodes.INVALID, result.exitCode());
    assertEquals(dir.resolve("nope.yml") + ": cannot read: no such file\n", result.out());
  }

  @Test
  void noFilesIsAUsageError() {
    var result = run("validate");
    assertEquals(ExitCodes.USAGE, result.exitCode());
    assertTrue(result.err().contains("Missing required parameter"), result.err());
  }

  @Test
  void schemaPrintsTheJsonSchemaOfEveryType() {
    var result = run("schema");
    assertEquals(ExitCodes.OK, result.exitCode());
    for (var type :
        new String[] {"dev-environment", "task", "service", "fleet", "volume", "gateway"}) {
      assertTrue(result.out().contains("\"" + type + "\""), "schema lacks " + type);
    }
  }
}
