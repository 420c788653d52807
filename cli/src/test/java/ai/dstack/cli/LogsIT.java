package ai.dstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.cli.testing.Cli;
import ai.dstack.core.api.logs.PollLogsRequest;
import ai.dstack.core.runs.RunStatus;
import ai.dstack.sdk.Dstack;
import ai.dstack.sdk.Run;
import ai.dstack.sdk.testing.LocalServer;
import ai.dstack.sdk.testing.LocalServerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code dstack logs} as a process against a real server: every byte, following, errors. */
@ExtendWith(LocalServerExtension.class)
class LogsIT {
  private static final String NON_ASCII = "héllo ✓ 日本";
  private static final String LONG = "x".repeat(5000);
  private static final int MANY = 1500;

  private static LocalServer server;
  private static Dstack dstack;
  private static String finished;

  @TempDir Path home;

  @BeforeAll
  static void aFinishedRun(LocalServer localServer) throws Exception {
    server = localServer;
    dstack = TaskRuns.sdk(server);
    finished = TaskRuns.name("logs");
    TaskRuns.finished(
        dstack,
        finished,
        "echo first",
        "echo '" + NON_ASCII + "'",
        "head -c 5000 /dev/zero | tr '\\0' x; echo",
        // A pause after each line makes each an event: more than a page holds (1000).
        "for i in $(seq 1 " + MANY + "); do echo $i; sleep 0.002; done",
        "echo last");
  }

  @AfterAll
  static void disconnect() {
    dstack.close();
  }

  private Cli cli() {
    return Cli.configuredFor(server, home);
  }

  private static List<String> expectedLines() {
    var lines = new ArrayList<>(List.of("first", NON_ASCII, LONG));
    IntStream.rangeClosed(1, MANY).mapToObj(String::valueOf).forEach(lines::add);
    lines.add("last");
    return lines;
  }

  @Test
  void printsEveryLineOnceInOrderWithNonAsciiAndLongLinesIntact() {
    var submission = dstack.run(finished).model().latestJobSubmission().id();
    var firstPage =
        dstack.api().logs().poll("main", PollLogsRequest.after(finished, submission, null, null));
    assertNotNull(firstPage.nextToken(), "the log spans more than one page");

    var result = cli().run("logs", finished);

    assertEquals(ExitCodes.OK, result.exitCode(), result.err());
    assertEquals(expectedLines(), TaskRuns.printed(result.out()));
    assertEquals("", result.err());
  }

  @Test
  void sinceInTheFuturePrintsNothingAndADurationEverything() {
    var future = cli().run("logs", finished, "--since", "2099-01-01T00:00:00Z");
    var lastHour = cli().run("logs", finished, "--since", "1h");

    assertEquals(ExitCodes.OK, future.exitCode(), future.toString());
    assertEquals("", future.out());
    assertEquals(ExitCodes.OK, lastHour.exitCode(), lastHour.err());
    assertEquals(expectedLines(), TaskRuns.printed(lastHour.out()));
  }

  @Test
  void anUnreadableSinceIsOneLineAndFailure() {
    var result = cli().run("logs", finished, "--since", "yesterday-ish");

    assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
    assertEquals("", result.out());
    assertEquals(1, result.err().lines().count(), result.toString());
    assertTrue(result.err().contains("--since yesterday-ish"), result.toString());
  }

  @Test
  void followPrintsALiveRunsLinesOnceInOrderAndEndsWithTheRun() throws Exception {
    String name = TaskRuns.name("logs-follow");
    Run run =
        dstack.applyYaml(
            TaskRuns.task(name, "for i in $(seq 1 30); do echo line $i; sleep 0.1; done"));

    var process = cli().start("logs", "-f", name);
    process.getOutputStream().close();
    var out = process.getInputStream().readAllBytes();
    assertTrue(process.waitFor(TaskRuns.TIMEOUT.toSeconds(), TimeUnit.SECONDS), "it ends");

    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(ExitCodes.OK, process.exitValue(), err);
    assertEquals(
        IntStream.rangeClosed(1, 30).mapToObj(i -> "line " + i).toList(),
        TaskRuns.printed(new String(out, StandardCharsets.UTF_8)));
    assertTrue(run.refresh().status().isFinished(), "it ended with the run: " + run);
    assertEquals(RunStatus.DONE, run.status());
  }

  @Test
  void anUnknownRunIsOneLineAndFailure() {
    var result = cli().run("logs", "no-such-run-for-logs");

    assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
    assertEquals("", result.out());
    assertEquals(
        List.of("Error: Run no-such-run-for-logs not found"),
        result.err().lines().toList(),
        result.toString());
  }

  @Test
  void aReplicaTheRunDoesNotHaveIsOneLineAndFailure() {
    var result = cli().run("logs", finished, "--replica", "3");

    assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
    assertEquals("", result.out());
    assertEquals(1, result.err().lines().count(), result.toString());
    assertTrue(result.err().contains("--replica 0 --job 0"), result.toString());
  }

  @Test
  void diagnoseShowsTheRunnersLog() {
    var result = cli().run("logs", "-d", finished);

    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    assertTrue(result.out().contains("Job submitted: run " + finished), result.toString());
    assertEquals("", result.err());
  }
}
