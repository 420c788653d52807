package ai.dstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.cli.testing.Cli;
import ai.dstack.sdk.Dstack;
import ai.dstack.sdk.Run;
import ai.dstack.sdk.testing.LocalServer;
import ai.dstack.sdk.testing.LocalServerExtension;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code dstack ps} as a process against a real server: the table, its flags, --json, errors. */
@ExtendWith(LocalServerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static LocalServer server;
  private static Dstack dstack;
  private static String older;
  private static String newer;

  @TempDir Path home;

  @BeforeAll
  static void twoFinishedRuns(LocalServer localServer) throws Exception {
    server = localServer;
    dstack = TaskRuns.sdk(server);
    older = TaskRuns.name("ps-older");
    TaskRuns.finished(dstack, older, "echo hi");
    newer = TaskRuns.name("ps-newer");
    TaskRuns.finished(dstack, newer, "echo hi");
  }

  @AfterAll
  static void disconnect() {
    dstack.close();
  }

  private Cli cli() {
    return Cli.configuredFor(server, home);
  }

  @Test
  void allShowsAFinishedRunAsOneRowWithItsJobsStatusBackendAndPrice() {
    var result = cli().run("ps", "-a");

    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    assertEquals(
        List.of("NAME", "BACKEND", "GPU", "PRICE", "STATUS", "SUBMITTED"),
        TaskRuns.headers(result.out()),
        result.toString());
    var row = TaskRuns.row(result.out(), newer);
    assertEquals("exited (0)", row.get("STATUS"), result.toString());
    assertTrue(row.get("BACKEND").startsWith("ssh"), result.toString());
    assertEquals("-", row.get("GPU"), result.toString());
    assertTrue(row.get("PRICE").matches("\\$\\d+(\\.\\d{1,4})?"), result.toString());
    assertTrue(
        row.get("SUBMITTED").equals("now") || row.get("SUBMITTED").endsWith(" ago"),
        result.toString());
    assertEquals(
        1,
        result.out().lines().filter(l -> l.startsWith(newer + " ")).count(),
        "a run of one job is one row");
    TaskRuns.row(result.out(), older);
    assertEquals("", result.err());
  }

  @Test
  void lastNShowsTheNewestRunsOnly() {
    var one = cli().run("ps", "-n", "1");
    var two = cli().run("ps", "--last", "2");

    assertEquals(ExitCodes.OK, one.exitCode(), one.toString());
    assertEquals(2, one.out().lines().count(), "the header and one run:\n" + one);
    TaskRuns.row(one.out(), newer);
    assertEquals(ExitCodes.OK, two.exitCode(), two.toString());
    assertEquals(3, two.out().lines().count(), two.toString());
    assertTrue(two.out().indexOf(newer) < two.out().indexOf(older), "newest first:\n" + two.out());
  }

  @Test
  void verboseAddsResourcesInstanceTypeProbesAndErrorColumns() {
    var result = cli().run("ps", "-a", "-v");

    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    assertEquals(
        List.of(
            "NAME",
            "BACKEND",
            "RESOURCES",
            "INSTANCE TYPE",
            "PRICE",
            "STATUS",
            "PROBES",
            "SUBMITTED",
            "ERROR"),
        TaskRuns.headers(result.out()),
        result.toString());
    var row = TaskRuns.row(result.out(), newer);
    assertTrue(row.get("RESOURCES").startsWith("cpu="), result.toString());
    assertFalse(row.get("INSTANCE TYPE").isEmpty(), result.toString());
  }

  @Test
  void jsonPrintsTheProjectAndTheRunsAsTheWireHasThem() throws Exception {
    var result = cli().run("ps", "-n", "2", "--json");

    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    JsonNode json = JSON.readTree(result.out());
    assertEquals("main", json.get("project").asText());
    var runs = StreamSupport.stream(json.get("runs").spliterator(), false).toList();
    assertEquals(2, runs.size(), result.out());
    var run = runs.getFirst();
    assertEquals(newer, run.at("/run_spec/run_name").asText());
    assertEquals("done", run.get("status").asText());
    assertEquals(dstack.run(newer).id().toString(), run.get("id").asText(), "the run's own id");
    assertEquals("done", run.at("/jobs/0/job_submissions/0/status").asText());
    assertEquals("exited (0)", run.at("/latest_job_submission/status_message").asText());
    assertEquals(older, runs.get(1).at("/run_spec/run_name").asText());
  }

  @Test
  @Order(Integer.MAX_VALUE) // last: it submits a newer run than those the other tests look at
  void withoutFlagsItShowsTheActiveRuns() throws Exception {
    Run sleeper = TaskRuns.sleeper(dstack, TaskRuns.name("ps-active"));
    try {
      var result = cli().run("ps");

      assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
      assertEquals("running", TaskRuns.row(result.out(), sleeper.name()).get("STATUS"));
      assertFalse(result.out().contains(newer), "finished runs are left out:\n" + result.out());
    } finally {
      TaskRuns.abort(sleeper);
    }
  }

  @Test
  void watchPrintsATablePerRefreshWhenPipedAndCtrlCEndsItWithZero() throws Exception {
    var process = cli().start("ps", "-a", "-w");
    var headers = new CopyOnWriteArrayList<String>();
    var reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (var lines =
                      new BufferedReader(
                          new InputStreamReader(
                              process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = lines.readLine()) != null; ) {
                      if (line.startsWith("NAME ")) {
                        headers.add(line);
                      }
                    }
                  } catch (java.io.IOException e) {
                    // the process ended
                  }
                });
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (headers.size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertEquals(2, Math.min(headers.size(), 2), "two refreshes within 30 s");

      new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();

      assertTrue(process.waitFor(20, TimeUnit.SECONDS), "Ctrl-C ends it");
      assertEquals(ExitCodes.OK, process.exitValue());
      reader.join(5000);
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void jsonWithWatchIsAUsageError() {
    var result = cli().run("ps", "--json", "-w");

    assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
    assertEquals("", result.out());
    assertTrue(result.err().contains("--watch"), result.toString());
  }

  @Test
  void anUnreachableServerIsOneLineAndItsOwnExitCode() {
    var result =
        Cli.withHome(home)
            .env("DSTACK_SERVER_URL", LocalServer.deadUrl())
            .env("DSTACK_TOKEN", server.token())
            .env("DSTACK_PROJECT", server.project())
            .run("ps");

    assertEquals(ExitCodes.SERVER_UNREACHABLE, result.exitCode(), result.toString());
    assertEquals("", result.out());
    assertEquals(1, result.err().lines().count(), result.toString());
    assertFalse(result.err().contains("\tat "), "no stack trace:\n" + result);
  }

  @Test
  void aWrongTokenIsOneLineAndNotAllowed() {
    var result = cli().env("DSTACK_TOKEN", "not-the-token").run("ps");

    assertEquals(ExitCodes.NOT_ALLOWED, result.exitCode(), result.toString());
    assertEquals("", result.out());
    assertEquals(1, result.err().lines().count(), result.toString());
    assertFalse(result.err().contains("\tat "), "no stack trace:\n" + result);
  }
}
