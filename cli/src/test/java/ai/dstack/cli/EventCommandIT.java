package ai.dstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.cli.testing.Cli;
import ai.dstack.sdk.testing.LocalServer;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code dstack event} as a process against a real server: a run's events one line each, oldest
 * first; the target and within filters; {@code --since}; {@code -w}; and its errors.
 */
class EventCommandIT extends ServerFixture {
  private static final Pattern LINE =
      Pattern.compile("^\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d] (\\[👤\\S+] )?\\[.+] .+$");

  private static String runName;

  @BeforeAll
  static void runATask() throws Exception {
    runName = TaskRuns.name("events");
    try (var dstack = TaskRuns.sdk(server)) {
      TaskRuns.finished(dstack, runName, "echo hi");
    }
  }

  private static List<String> lines(String out) {
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  @Test
  void eventListShowsARunsEventsOneLineEachOldestFirst() {
    var result = cli().run("event", "list", "--within-run", runName);

    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    assertEquals("", result.err());
    var lines = lines(result.out());
    lines.forEach(l -> assertTrue(LINE.matcher(l).matches(), l));
    assertTrue(
        lines
            .getFirst()
            .endsWith("[👤admin] [run " + runName + "] Run submitted. Status: SUBMITTED"),
        result.toString());
    assertTrue(
        lines.get(1).endsWith("Job created on run submission. Status: SUBMITTED"),
        result.toString());
    assertTrue(lines.get(1).contains("[job " + runName + "-0-0]"), result.toString());
    assertTrue(
        lines.getLast().endsWith("[run " + runName + "] Run status changed TERMINATING -> DONE"),
        result.toString());
  }

  @Test
  void bareEventListsTheProjectWithTheTargetFilterNarrowingIt() {
    var all = cli().run("event");
    var runOnly = cli().run("event", "--target-run", runName, "--include-target-type", "run");
    var since = cli().run("event", "list", "--target-run", runName, "--since", "1h");

    assertEquals(ExitCodes.OK, all.exitCode(), all.toString());
    assertTrue(all.out().contains("Run submitted. Status: SUBMITTED"), all.toString());
    assertEquals(ExitCodes.OK, runOnly.exitCode(), runOnly.toString());
    assertTrue(
        lines(runOnly.out()).stream().allMatch(l -> l.contains("[run " + runName + "]")),
        runOnly.toString());
    assertFalse(runOnly.out().contains("Job "), runOnly.toString());
    assertEquals(lines(runOnly.out()), lines(since.out()), since.toString());
  }

  @Test
  void watchPrintsTheEventsThenKeepsGoing() throws Exception {
    var process = cli().start("event", "-w", "--within-run", runName);
    try {
      var reader =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  process.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
      var first = reader.readLine();
      assertTrue(first.endsWith("Run submitted. Status: SUBMITTED"), first);
      Thread.sleep(3000);
      assertTrue(process.isAlive(), "-w keeps watching");
    } finally {
      process.destroy();
    }
    assertEquals(ExitCodes.OK, process.waitFor(), "a watch ends with 0 when stopped");
  }

  @Test
  void anUnknownRunIsOneLineAndExitOne() {
    var result = cli().run("event", "--target-run", "no-such-run");

    assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
    assertEquals("", result.out());
    assertEquals(List.of("Error: Run no-such-run not found"), result.err().lines().toList());
  }

  @Test
  void twoKindsOfTargetAreAUsageError() {
    var result = cli().run("event", "--target-run", runName, "--target-fleet", "local");

    assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
    assertTrue(
        result.err().contains("--target-run cannot be used with --target-fleet"),
        result.toString());
  }

  @Test
  void aSinceThatIsNoTimeIsOneLineAndExitOne() {
    var result = cli().run("event", "--since", "yesterday");

    assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
    assertEquals(
        List.of(
            "Error: --since yesterday is neither a duration (10s, 5m, 2h, 1d, 1w) nor a date-time"
                + " with a time zone (2023-09-24T15:30:00Z)"),
        result.err().lines().toList());
  }

  @Test
  void aServerThatIsDownIsExitFour() {
    var result =
        Cli.withHome(home)
            .env("DSTACK_SERVER_URL", LocalServer.deadUrl())
            .env("DSTACK_TOKEN", server.token())
            .env("DSTACK_PROJECT", server.project())
            .run("event");

    assertEquals(ExitCodes.SERVER_UNREACHABLE, result.exitCode(), result.toString());
    assertEquals(1, result.err().lines().count(), result.toString());
  }
}
