package ai.dstack.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.configurations.Configuration;
import ai.dstack.core.configurations.ConfigurationParser;
import ai.dstack.core.runs.JobTerminationReason;
import ai.dstack.core.runs.RunStatus;
import ai.dstack.core.runs.RunTerminationReason;
import ai.dstack.core.runs.wire.ApplyAction;
import ai.dstack.sdk.api.DstackException;
import ai.dstack.sdk.testing.LocalServer;
import ai.dstack.sdk.testing.LocalServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Runs through the high-level SDK against a real server: apply, follow, await, stop, delete. */
@ExtendWith(LocalServerExtension.class)
class RunsTest {
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

  private Dstack dstack;

  @BeforeEach
  void connect(LocalServer server) {
    dstack = Dstack.of(server.url(), server.token(), server.project());
  }

  @AfterEach
  void disconnect() {
    dstack.close();
  }

  @Test
  void appliesATaskAndFollowsItsLogsToTheEndEveryLineOnceInOrder() throws Exception {
    String name = Tasks.name("follow");
    Run run =
        dstack.applyYaml(
            Tasks.task(
                name, List.of("for i in $(seq 1 40); do echo \"line $i\"; sleep 0.05; done")));
    assertEquals(name, run.name());

    List<String> lines;
    try (var followed = run.logs()) {
      lines = followed.toList();
    }

    var expected = IntStream.rangeClosed(1, 40).mapToObj(i -> "line " + i).toList();
    assertEquals(expected, Tasks.printed(lines), "every line once, in order");
    assertEquals(RunStatus.DONE, run.await(RUN_TIMEOUT));
    assertEquals(0, run.exitStatus());
    assertEquals(expected, Tasks.printed(run.logsSoFar()), "the whole log, once finished");
  }

  @Test
  void appliesAFileAndFindsTheRunByName(@TempDir Path dir) throws Exception {
    String name = Tasks.name("file");
    Path file = dir.resolve("hello.dstack.yml");
    Files.writeString(file, Tasks.task(name, List.of("echo hello from a file")));

    var plan = dstack.plan(file);
    assertEquals(ApplyAction.CREATE, plan.action());
    assertFalse(plan.jobPlans().getFirst().offers().isEmpty(), "the local fleet offers itself");
    Run run = dstack.apply(plan);
    assertEquals(RunStatus.DONE, run.await(RUN_TIMEOUT));

    Run found = dstack.run(name);
    assertEquals(run.id(), found.id());
    assertEquals(file.toString(), found.model().runSpec().configurationPath());
    assertEquals(List.of("hello from a file"), Tasks.printed(found.logsSoFar()));
    assertTrue(dstack.runs(100).stream().anyMatch(r -> r.id().equals(run.id())));
  }

  @Test
  void appliesAParsedConfigurationObject() throws Exception {
    String name = Tasks.name("object");
    Configuration configuration =
        ConfigurationParser.parse(Tasks.task(name, List.of("echo from an object")), "object.yml");

    Run run = dstack.apply(configuration);

    assertEquals(RunStatus.DONE, run.await(RUN_TIMEOUT));
    assertEquals(name, run.name());
    assertEquals(List.of("from an object"), Tasks.printed(run.logsSoFar()));
  }

  @Test
  void aFailingTaskEndsFailedWithItsExitStatus() throws Exception {
    Run run =
        dstack.applyYaml(Tasks.task(Tasks.name("fail"), List.of("echo before", "sh -c 'exit 3'")));

    assertEquals(RunStatus.FAILED, run.await(RUN_TIMEOUT));
    assertEquals(3, run.exitStatus());
    assertEquals(RunTerminationReason.JOB_FAILED, run.model().terminationReason());
    assertEquals(
        JobTerminationReason.CONTAINER_EXITED_WITH_ERROR,
        run.model().latestJobSubmission().terminationReason());
    assertEquals(List.of("before"), Tasks.printed(run.logsSoFar()));
  }

  @Test
  void stopEndsARunningTaskTerminatedAndItsLogEnds() throws Exception {
    Run run = startSleeper("stop");

    run.stop(false);

    assertEquals(RunStatus.TERMINATED, run.await(RUN_TIMEOUT));
    assertEquals(RunTerminationReason.STOPPED_BY_USER, run.model().terminationReason());
    assertEquals("stopped", run.model().latestJobSubmission().statusMessage());
    try (var lines = run.logs()) {
      assertEquals(List.of("started"), Tasks.printed(lines.toList()), "following ends with it");
    }
  }

  @Test
  void abortEndsARunningTaskAtOnce() throws Exception {
    Run run = startSleeper("abort");

    run.stop(true);

    assertEquals(RunStatus.TERMINATED, run.await(RUN_TIMEOUT));
    assertEquals(RunTerminationReason.ABORTED_BY_USER, run.model().terminationReason());
    assertEquals("aborted", run.model().latestJobSubmission().statusMessage());
  }

  @Test
  void aFinishedRunIsDeletedAndThenNotFound() throws Exception {
    String name = Tasks.name("delete");
    Run run = dstack.applyYaml(Tasks.task(name, List.of("true")));
    assertEquals(RunStatus.DONE, run.await(RUN_TIMEOUT));

    run.delete();

    assertTrue(dstack.findRun(name).isEmpty());
    var missing = assertThrows(DstackException.NotFound.class, () -> dstack.run(name));
    assertEquals(400, missing.status());
  }

  @Test
  void anUnknownRunIsNotFound() {
    var missing =
        assertThrows(DstackException.NotFound.class, () -> dstack.run("no-such-run-anywhere"));
    assertTrue(missing.getMessage().contains("no-such-run-anywhere"), missing.getMessage());
  }

  /** A task that prints {@code started} and sleeps; returned once it has printed. */
  private Run startSleeper(String prefix) throws Exception {
    Run run =
        dstack.applyYaml(Tasks.task(Tasks.name(prefix), List.of("echo started", "sleep 600")));
    var seen = new ArrayList<String>();
    try (var lines = run.logs()) {
      var iterator = lines.iterator();
      while (seen.isEmpty() || !seen.getLast().equals("started")) {
        seen.add(iterator.next());
      }
    }
    assertEquals(RunStatus.RUNNING, run.refresh().status());
    return run;
  }
}
