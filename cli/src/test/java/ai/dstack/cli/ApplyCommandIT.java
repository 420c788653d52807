package ai.dstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.cli.testing.Cli;
import ai.dstack.core.configurations.Env;
import ai.dstack.core.runs.RunStatus;
import ai.dstack.core.runs.wire.RunSpec;
import ai.dstack.sdk.Dstack;
import ai.dstack.sdk.testing.LocalServer;
import ai.dstack.sdk.testing.LocalServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dstack apply} of the packaged CLI against a real server: the plan, the question, detached
 * submission, the flags over the configuration, re-applying an active run, invalid files, fleets,
 * and an unreachable server.
 */
@ExtendWith(LocalServerExtension.class)
class ApplyCommandIT {
  @TempDir Path home;

  private LocalServer server;
  private Cli cli;
  private Dstack dstack;

  @BeforeEach
  void connect(LocalServer server) {
    this.server = server;
    cli = Cli.configuredFor(server, home);
    dstack = TaskRuns.sdk(server);
  }

  @AfterEach
  void disconnect() {
    dstack.close();
  }

  @Test
  void detachedApplyShowsThePlanSubmitsTheTaskAndTheSdkSeesIt() throws Exception {
    var name = TaskRuns.name("detached");
    var file = write("task.dstack.yml", TaskRuns.task(name, "echo hello"));

    var result = cli.run("apply", "-f", file, "-d", "-y");

    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    assertEquals("Run " + name + " submitted, detaching...\n", result.out(), result.toString());
    var err = result.err();
    for (var property :
        List.of(
            "Project",
            "User",
            "Configuration",
            "Type",
            "Resources",
            "Spot policy",
            "Max price",
            "Retry policy",
            "Max duration")) {
      assertTrue(err.contains(property + " "), property + " in the plan:\n" + result);
    }
    assertTrue(err.contains("task.dstack.yml"), result.toString());
    assertTrue(err.contains("task (nodes=1)"), result.toString());
    assertTrue(
        err.lines().anyMatch(l -> l.matches("#\\s+BACKEND\\s+RESOURCES\\s+INSTANCE TYPE\\s+PRICE")),
        "the offers table in\n" + result);
    assertTrue(
        err.lines().anyMatch(l -> l.matches("1\\s+ssh \\(local\\)\\s+cpu=.*")), result.toString());

    var run = dstack.run(name);
    assertEquals(RunStatus.DONE, run.await(TaskRuns.TIMEOUT));
    assertTrue(run.logsSoFar().contains("hello"), run.logsSoFar().toString());
  }

  @Test
  void flagsOverrideTheConfigurationInTheSubmittedRunSpec() throws Exception {
    var written = TaskRuns.name("written");
    var name = TaskRuns.name("flags");
    var file =
        write(
            "flags.dstack.yml",
            TaskRuns.task(written, "echo $FROM_FILE $FROM_FLAG")
                + "env:\n  - FROM_FILE=file\n  - OVERRIDDEN=file\n  - FROM_CALLER\n");

    var result =
        cli.env("FROM_CALLER", "caller")
            .env("PASSED", "passed-through")
            .run(
                "apply",
                "-f",
                file,
                "-d",
                "-y",
                "-n",
                name,
                "-e",
                "FROM_FLAG=flag",
                "-e",
                "OVERRIDDEN=flag",
                "-e",
                "PASSED",
                "--max-duration",
                "10m",
                "--memory",
                "1GB..");

    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    assertTrue(result.err().contains("Max duration   10m"), result.toString());
    assertFalse(dstack.findRun(written).isPresent(), "-n replaces the configuration's name");
    var run = dstack.run(name);
    RunSpec spec = run.model().runSpec();
    assertEquals(name, spec.runName());
    var env = new LinkedHashMap<String, String>();
    spec.params().env().variables().forEach((k, v) -> env.put(k, ((Env.Value.Literal) v).value()));
    assertEquals(
        Map.of(
            "FROM_FILE", "file",
            "OVERRIDDEN", "flag",
            "FROM_CALLER", "caller",
            "FROM_FLAG", "flag",
            "PASSED", "passed-through"),
        env);
    assertEquals(600L, spec.profile().maxDuration().seconds());
    assertEquals(RunStatus.DONE, run.await(TaskRuns.TIMEOUT));
    assertTrue(run.logsSoFar().contains("file flag"), run.logsSoFar().toString());
  }

  @Test
  void answeringNoSubmitsNothing() {
    var name = TaskRuns.name("declined");
    var file = write("declined.dstack.yml", TaskRuns.task(name, "echo never"));

    var result = cli.runWithInput("n\n", "apply", "-f", file);

    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    assertTrue(result.err().contains("Submit the run " + name + "? [y/n]"), result.toString());
    assertEquals("", result.out(), result.toString());
    assertFalse(dstack.findRun(name).isPresent(), "nothing was submitted");
  }

  @Test
  void anInvalidConfigurationIsReportedWithEveryErrorAndItsLineBeforeAnyCall() {
    var file =
        write(
            "bad.dstack.yml",
            "type: task\ncommands:\n  - echo hi\nresources:\n  gpu: A100:2:3\nmax_duration: soon\n");
    // Nothing listens at the configured server: a call would fail with SERVER_UNREACHABLE.
    var offline =
        Cli.withHome(home)
            .env("DSTACK_SERVER_URL", LocalServer.deadUrl())
            .env("DSTACK_TOKEN", server.token())
            .env("DSTACK_PROJECT", server.project());

    var result = offline.run("apply", "-f", file, "-y");

    assertEquals(ExitCodes.INVALID, result.exitCode(), result.toString());
    var err = result.err();
    assertTrue(err.contains("Invalid configuration"), result.toString());
    assertTrue(err.contains("bad.dstack.yml:5:8 resources.gpu: "), result.toString());
    assertTrue(err.contains("bad.dstack.yml:6:15 max_duration: "), result.toString());
    assertEquals("", result.out());
  }

  @Test
  void aBadFlagValueIsAUsageErrorNamingTheFlag() {
    var file = write("ok.dstack.yml", TaskRuns.task(TaskRuns.name("flagged"), "echo hi"));

    var result = cli.run("apply", "-f", file, "-y", "--gpu", "A100:2:3", "--spot", "--on-demand");

    assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
    assertTrue(
        result.err().contains("--spot and --on-demand exclude each other"), result.toString());

    result = cli.run("apply", "-f", file, "-y", "--gpu", "A100:2:3");
    assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
    assertTrue(result.err().startsWith("--gpu: \"A100:2:3\" has two counts"), result.toString());
  }

  @Test
  void reapplyingAnActiveRunWithoutChangesSaysSoAndLeavesTheRunAlone() throws Exception {
    var name = TaskRuns.name("active");
    var file = write("active.dstack.yml", TaskRuns.task(name, "sleep 60"));
    var first = cli.run("apply", "-f", file, "-d", "-y");
    assertEquals(ExitCodes.OK, first.exitCode(), first.toString());
    var run = dstack.run(name);
    try {
      var again = cli.run("apply", "-f", file, "-y");

      assertEquals(ExitCodes.OK, again.exitCode(), again.toString());
      assertTrue(
          again.err().contains("Active run " + name + " already exists. Detected no changes."),
          again.toString());
      assertTrue(again.err().contains("Use --force to apply anyway."), again.toString());
      assertEquals(run.id(), dstack.run(name).id(), "the same run");
      assertFalse(dstack.run(name).status().isFinished(), "still active");
    } finally {
      TaskRuns.abort(run);
    }
  }

  @Test
  void aFleetConfigurationGetsTheServersErrorOnOneLine() {
    var file =
        write(
            "fleet.dstack.yml",
            "type: fleet\nname: my-ssh\nssh_config:\n  user: root\n  hosts: [192.0.2.1]\n");

    var result = cli.run("apply", "-f", file, "-y");

    assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
    assertEquals(1, result.err().lines().count(), result.toString());
    assertTrue(result.err().contains("SSH fleets are not supported yet"), result.toString());
  }

  @Test
  void aVolumeConfigurationGetsTheServersError() {
    assertServerRefuses(
        "type: volume\nname: my-volume\nbackend: aws\nregion: us-east-1\nsize: 100GB\n",
        "Volumes are not supported yet");
  }

  @Test
  void aGatewayConfigurationGetsTheServersError() {
    assertServerRefuses(
        "type: gateway\nname: my-gateway\nbackend: aws\nregion: us-east-1\ndomain: example.com\n",
        "Gateways are not supported yet");
  }

  private void assertServerRefuses(String yaml, String error) {
    var file = write("other.dstack.yml", yaml);

    var result = cli.run("apply", "-f", file, "-y");

    assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
    var last = result.err().lines().reduce((a, b) -> b).orElse("");
    assertTrue(last.startsWith("Error: " + error), result.toString());
  }

  @Test
  void runFlagsOnAFleetConfigurationAreAUsageError() {
    var file = write("fleet2.dstack.yml", "type: fleet\nname: other\nnodes: 1\n");

    var result = cli.run("apply", "-f", file, "-y", "--gpu", "A100");

    assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
    assertTrue(result.err().contains("--gpu apply to runs"), result.toString());
  }

  @Test
  void anUnreachableServerIsOneLineAndItsOwnExitCode() {
    var file = write("down.dstack.yml", TaskRuns.task(TaskRuns.name("down"), "echo hi"));
    var offline =
        Cli.withHome(home)
            .env("DSTACK_SERVER_URL", LocalServer.deadUrl())
            .env("DSTACK_TOKEN", server.token())
            .env("DSTACK_PROJECT", server.project());

    var result = offline.run("apply", "-f", file, "-d", "-y");

    assertEquals(ExitCodes.SERVER_UNREACHABLE, result.exitCode(), result.toString());
    assertEquals(1, result.err().lines().count(), result.toString());
    assertEquals("", result.out());
  }

  @Test
  void withoutAFileAndWithoutDotDstackYmlItSaysWhatIsMissing() {
    var result = cli.run("apply", "-y");

    assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
    assertTrue(result.err().contains("no .dstack.yml"), result.toString());
  }

  private String write(String fileName, String yaml) {
    try {
      Files.writeString(home.resolve(fileName), yaml);
      return fileName;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
