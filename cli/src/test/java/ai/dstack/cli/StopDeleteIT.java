package ai.dstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.cli.testing.Cli;
import ai.dstack.core.runs.RunStatus;
import ai.dstack.core.runs.RunTerminationReason;
import ai.dstack.sdk.Dstack;
import ai.dstack.sdk.Run;
import ai.dstack.sdk.testing.LocalServer;
import ai.dstack.sdk.testing.LocalServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code dstack stop} and {@code dstack delete -f} as processes against a real server. */
@ExtendWith(LocalServerExtension.class)
class StopDeleteIT {
  private static LocalServer server;
  private static Dstack dstack;

  @TempDir Path home;

  @BeforeAll
  static void connect(LocalServer localServer) {
    server = localServer;
    dstack = TaskRuns.sdk(server);
  }

  @AfterAll
  static void disconnect() {
    dstack.close();
  }

  private Cli cli() {
    return Cli.configuredFor(server, home);
  }

  private Path file(String name, String yaml) throws Exception {
    return Files.writeString(home.resolve(name), yaml);
  }

  @Test
  void stopEndsARunningTaskTerminatedAsStopped() throws Exception {
    Run run = TaskRuns.sleeper(dstack, TaskRuns.name("stop"));
    try {
      var result = cli().run("stop", "-y", run.name());

      assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
      assertEquals("Stopped\n", result.out());
      assertEquals(RunStatus.TERMINATED, run.await(TaskRuns.TIMEOUT));
      assertEquals(RunTerminationReason.STOPPED_BY_USER, run.model().terminationReason());
      assertEquals("stopped", run.model().latestJobSubmission().statusMessage());
    } finally {
      TaskRuns.abort(run);
    }
  }

  @Test
  void abortEndsARunningTaskTerminatedAsAborted() throws Exception {
    Run run = TaskRuns.sleeper(dstack, TaskRuns.name("abort"));
    try {
      var result = cli().run("stop", "--abort", "--yes", run.name());

      assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
      assertEquals("Aborted\n", result.out());
      assertEquals(RunStatus.TERMINATED, run.await(TaskRuns.TIMEOUT));
      assertEquals(RunTerminationReason.ABORTED_BY_USER, run.model().terminationReason());
      assertEquals("aborted", run.model().latestJobSubmission().statusMessage());
    } finally {
      TaskRuns.abort(run);
    }
  }

  @Test
  void stopAsksAndANoLeavesTheRunRunning() throws Exception {
    Run run = TaskRuns.sleeper(dstack, TaskRuns.name("stop-no"));
    try {
      var result = cli().runWithInput("n\n", "stop", run.name());

      assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
      assertEquals("", result.out());
      assertTrue(result.err().contains("Stop the run " + run.name() + "?"), result.toString());
      Thread.sleep(1000);
      assertEquals(RunStatus.RUNNING, run.refresh().status(), "still running");
    } finally {
      TaskRuns.abort(run);
    }
  }

  @Test
  void stopOfAnUnknownRunIsOneLineAndFailure() {
    var result = cli().run("stop", "-y", "no-such-run-to-stop");

    assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
    assertEquals("", result.out());
    assertEquals(
        List.of("Error: Run no-such-run-to-stop not found"), result.err().lines().toList());
  }

  @Test
  void deleteRemovesAFinishedRunNamedByTheFile() throws Exception {
    String name = TaskRuns.name("delete");
    TaskRuns.finished(dstack, name, "echo hi");
    var conf = file("task.dstack.yml", TaskRuns.task(name, "echo hi"));

    var result = cli().run("delete", "-f", conf.toString(), "-y");

    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    assertEquals("Run " + name + " deleted\n", result.out());
    assertTrue(dstack.findRun(name).isEmpty(), "deleted");
  }

  @Test
  void destroyIsDeleteAndAsksFirst() throws Exception {
    String name = TaskRuns.name("destroy");
    TaskRuns.finished(dstack, name, "echo hi");
    var conf = file("task.dstack.yml", TaskRuns.task(name, "echo hi"));

    var declined = cli().runWithInput("n\n", "destroy", "-f", conf.toString());
    assertEquals(ExitCodes.OK, declined.exitCode(), declined.toString());
    assertTrue(declined.err().contains("Delete the run " + name + "?"), declined.toString());
    assertFalse(dstack.findRun(name).isEmpty(), "a no keeps it");

    var confirmed = cli().runWithInput("y\n", "destroy", "-f", conf.toString());
    assertEquals(ExitCodes.OK, confirmed.exitCode(), confirmed.toString());
    assertTrue(dstack.findRun(name).isEmpty(), "a yes deletes it");
  }

  @Test
  void deleteOfAnActiveRunShowsTheServersRefusalInOneLine() throws Exception {
    Run run = TaskRuns.sleeper(dstack, TaskRuns.name("delete-active"));
    try {
      var conf = file("task.dstack.yml", TaskRuns.task(run.name(), "sleep 600"));

      var result = cli().run("delete", "-f", conf.toString(), "-y");

      assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
      assertEquals("", result.out());
      assertEquals(1, result.err().lines().count(), result.toString());
      assertTrue(result.err().startsWith("Error: "), result.toString());
      assertEquals(RunStatus.RUNNING, run.refresh().status(), "still there and running");
    } finally {
      TaskRuns.abort(run);
    }
  }

  @Test
  void deleteOfAConfigurationWithoutANameSaysSo() throws Exception {
    var conf = file("noname.dstack.yml", "type: task\ncommands:\n  - echo hi\n");

    var result = cli().run("delete", "-f", conf.toString(), "-y");

    assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
    assertEquals(1, result.err().lines().count(), result.toString());
    assertTrue(
        result.err().contains("Configuration specifies no run to delete"), result.toString());
  }

  @Test
  void deleteOfAnUnknownRunOrFleetSaysItDoesNotExist() throws Exception {
    var task = file("task.dstack.yml", TaskRuns.task("no-such-run-to-delete", "echo hi"));
    var fleet = file("fleet.dstack.yml", "type: fleet\nname: no-such-fleet\nnodes: 1\n");

    var run = cli().run("delete", "-f", task.toString(), "-y");
    var noFleet = cli().run("delete", "-f", fleet.toString(), "-y");

    assertEquals(ExitCodes.FAILURE, run.exitCode(), run.toString());
    assertEquals(
        List.of("Error: Run no-such-run-to-delete does not exist"), run.err().lines().toList());
    assertEquals(ExitCodes.FAILURE, noFleet.exitCode(), noFleet.toString());
    assertEquals(
        List.of("Error: Fleet no-such-fleet does not exist"), noFleet.err().lines().toList());
  }

  @Test
  void deleteOfAFleetTheServerRefusesShowsWhyInOneLine() throws Exception {
    var fleet = file("fleet.dstack.yml", "type: fleet\nname: local\nnodes: 1\n");

    var result = cli().run("delete", "-f", fleet.toString(), "-y");

    assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
    assertEquals("", result.out());
    assertEquals(1, result.err().lines().count(), result.toString());
    assertTrue(result.err().contains("cannot be deleted"), result.toString());
    assertEquals("local", dstack.fleet("local").name(), "still there");
  }

  @Test
  void deleteOfAMissingOrInvalidFileSaysWhy() throws Exception {
    var missing = cli().run("delete", "-f", home.resolve("nope.yml").toString(), "-y");
    var invalid = file("bad.dstack.yml", "type: task\nname: x\ncommands: 3\n");
    var result = cli().run("delete", "-f", invalid.toString(), "-y");

    assertEquals(ExitCodes.FAILURE, missing.exitCode(), missing.toString());
    assertTrue(missing.err().contains("does not exist"), missing.toString());
    assertEquals(ExitCodes.INVALID, result.exitCode(), result.toString());
    assertTrue(result.err().contains("commands"), result.toString());
  }
}
