package ai.dstack.orchestrator.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.dstack.orchestrator.fleets.LocalFleet;
import ai.dstack.orchestrator.testing.Api;
import ai.dstack.orchestrator.testing.OnLocalFleet;
import ai.dstack.orchestrator.testing.RunRequests;
import ai.dstack.orchestrator.testing.ServerTest;
import ai.dstack.workflows.fleets.FleetView;
import ai.dstack.workflows.fleets.FleetWorkflow;
import io.temporal.client.WorkflowClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Queueing on the local fleet, end to end through the API: a host offering 4 CPUs in 4 blocks
 * (oversubscribed on a smaller machine with {@code DSTACK_LOCAL_FLEET_CPUS}) is filled by 4
 * blockers; 20 one-block runs of mixed priorities, submitted at once, wait in the fleet's queue in
 * priority order (ties by submission time); once the blockers end, all 24 finish {@code done}, the
 * 20 are started in that order, and never more than 4 run at once.
 *
 * <p>Each task (a process on this host) appends {@code start NAME} and {@code end NAME} to one
 * events file, which is thus the order of what happened on the host.
 */
@OnLocalFleet
@TestPropertySource(properties = {"dstack.local-fleet.cpus=4", "dstack.local-fleet.blocks=4"})
class QueueingOnLocalFleetTest extends ServerTest {
  private static final int BLOCKS = 4;
  private static final int QUEUED = 20;
  // About a minute on an idle 2-CPU machine, 2.5 on one running builds beside it: room for more.
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  @Autowired WorkflowClient temporal;

  @TempDir Path dir;

  @Test
  void twentyRunsSubmittedAtOnceAllFinishStartedInPriorityOrderAtMostFourAtATime()
      throws Exception {
    var project = unique("queue");
    assertEquals(200, createProject(ADMIN, project).status());
    var runs = new RunRequests(api(), ADMIN);
    var events = dir.resolve("events");
    var release = dir.resolve("release");
    long deadline = System.nanoTime() + TIMEOUT.toNanos();

    var instance = localInstance(project);
    assertEquals(BLOCKS, instance.path("total_blocks").asInt(), instance.toString());
    assertEquals(
        BLOCKS,
        instance.path("instance_type").path("resources").path("cpus").asInt(),
        instance.toString());

    List<String> blockers = new ArrayList<>();
    for (int i = 0; i < BLOCKS; i++) {
      var name = "blocker-" + i;
      blockers.add(name);
      runs.apply(
          project,
          name,
          List.of(
              mark("start", name, events),
              "while [ ! -e " + release + " ]; do sleep 0.1; done",
              mark("end", name, events)));
    }
    for (var name : blockers) {
      var run =
          runs.await(
              project,
              name,
              r -> status(r).equals("running") || RunRequests.FINISHED.contains(status(r)),
              remaining(deadline));
      assertEquals("running", status(run), run.toString());
    }
    assertEquals(BLOCKS, localInstance(project).path("busy_blocks").asInt());

    Map<String, Integer> priorities = submitAtOnce(project, runs, events);

    var queue = awaitQueue(deadline);
    var queueOrder = priorityOrder(project, priorities, queue);
    Map<String, String> places = new HashMap<>();
    for (int i = 0; i < queueOrder.size(); i++) {
      places.put(queueOrder.get(i), "queued (position " + (i + 1) + ")");
    }
    awaitTrue(
        () -> places.equals(queuedStatusMessages(runs, project)),
        "runs/list shows each queued run's place in the fleet's queue, as the fleet has it",
        deadline);
    Files.createFile(release);

    List<String> all = new ArrayList<>(blockers);
    all.addAll(priorities.keySet());
    for (var name : all) {
      var run = runs.awaitFinished(project, name, remaining(deadline));
      assertEquals("done", status(run), name + ": " + run);
    }
    var listed = runs.list(project, false);
    assertEquals(all.size(), listed.size(), listed.toString());
    awaitTrue(
        () -> localInstance(project).path("busy_blocks").asInt() == 0,
        "the fleet frees every block",
        deadline);

    checkEvents(Files.readAllLines(events), all, queueOrder);
  }

  /**
   * Applies the 20 runs from 20 threads at once, with priorities 0 to 100 in a mixed order and 4
   * runs of each; returns each run's priority.
   */
  private Map<String, Integer> submitAtOnce(String project, RunRequests runs, Path events)
      throws InterruptedException, ExecutionException {
    Map<String, Integer> priorities = new HashMap<>();
    for (int i = 0; i < QUEUED; i++) {
      priorities.put("queued-%02d".formatted(i), (i * 3 % 5) * 25);
    }
    var go = new CountDownLatch(1);
    List<Future<JsonNode>> applied = new ArrayList<>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (var entry : priorities.entrySet()) {
        var name = entry.getKey();
        applied.add(
            pool.submit(
                () -> {
                  go.await();
                  return runs.apply(
                      project,
                      name,
                      List.of(mark("start", name, events), "sleep 1", mark("end", name, events)),
                      Map.of("priority", entry.getValue()));
                }));
      }
      go.countDown();
      for (var future : applied) {
        assertEquals("submitted", status(future.get()));
      }
    }
    return priorities;
  }

  /** Waits until the 20 wait in the fleet's queue (the blockers hold every block); returns it. */
  private List<FleetView.QueueEntry> awaitQueue(long deadline) {
    var fleet = temporal.newWorkflowStub(FleetWorkflow.class, LocalFleet.WORKFLOW_ID);
    awaitTrue(() -> fleet.view().queue().size() == QUEUED, "the 20 runs are queued", deadline);
    return fleet.view().queue();
  }

  /**
   * The status message of each active run whose job waits in the queue, as {@code runs/list} shows
   * it: the run's own, which must match its job submission's.
   */
  private Map<String, String> queuedStatusMessages(RunRequests runs, String project) {
    Map<String, String> messages = new HashMap<>();
    for (var run : runs.list(project, true)) {
      String message = run.path("status_message").asText();
      if (message.startsWith("queued")) {
        assertEquals(
            message,
            run.path("latest_job_submission").path("status_message").asText(),
            run.toString());
        messages.put(run.path("run_spec").path("run_name").asText(), message);
      }
    }
    return messages;
  }

  /**
   * The queue's order of the run names, checked to be priority (higher first), then the run's
   * {@code submitted_at} as {@code runs/get} shows it.
   */
  private List<String> priorityOrder(
      String project, Map<String, Integer> priorities, List<FleetView.QueueEntry> queue) {
    Map<String, OffsetDateTime> submittedAt = new HashMap<>();
    for (var name : priorities.keySet()) {
      var run =
          api().post("/api/project/" + project + "/runs/get", ADMIN, Map.of("run_name", name));
      assertEquals(200, run.status(), run.toString());
      submittedAt.put(name, OffsetDateTime.parse(run.json().path("submitted_at").asText()));
    }
    var queued = queue.stream().map(e -> e.job().runName()).toList();
    assertEquals(priorities.keySet(), Set.copyOf(queued));
    queue.forEach(e -> assertEquals(priorities.get(e.job().runName()), e.priority(), e.toString()));
    Comparator<String> order =
        Comparator.<String>comparingInt(name -> -priorities.get(name))
            .thenComparing(submittedAt::get);
    for (int i = 1; i < queued.size(); i++) {
      assertTrue(
          order.compare(queued.get(i - 1), queued.get(i)) <= 0,
          "queued in priority order, then by submitted_at: " + queue);
    }
    return queued;
  }

  /**
   * Checks the host's events: every run started and ended once, never more than 4 at once, and each
   * queued run started only once all but 3 of the runs ahead of it in the queue had ended. The
   * fleet grants in queue order, so when a run gets its block, every run ahead of it has one or has
   * given it back, and those still holding one are 3 at most. Runs granted together start in any
   * order; a run granted ahead of its turn breaks the check.
   */
  private static void checkEvents(List<String> lines, List<String> runs, List<String> queue) {
    var starts = lines.stream().filter(l -> l.startsWith("start ")).map(l -> l.substring(6));
    var ends = lines.stream().filter(l -> l.startsWith("end ")).map(l -> l.substring(4));
    assertEquals(sorted(runs), sorted(starts.toList()), "each run started once: " + lines);
    assertEquals(sorted(runs), sorted(ends.toList()), "each run ended once: " + lines);
    Set<String> running = new HashSet<>();
    Set<String> ended = new HashSet<>();
    for (var line : lines) {
      var name = line.substring(line.indexOf(' ') + 1);
      if (line.startsWith("end ")) {
        running.remove(name);
        ended.add(name);
        continue;
      }
      running.add(name);
      assertTrue(running.size() <= BLOCKS, "more than 4 at once, " + running + ": " + lines);
      int position = queue.indexOf(name);
      if (position > 0) {
        var aheadNotEnded =
            queue.subList(0, position).stream().filter(ahead -> !ended.contains(ahead)).toList();
        assertTrue(
            aheadNotEnded.size() < BLOCKS,
            name + " started before its turn, ahead of " + aheadNotEnded + ": " + lines);
      }
    }
  }

  private static List<String> sorted(List<String> names) {
    return names.stream().sorted().toList();
  }

  private static String status(JsonNode run) {
    return run.path("status").asText();
  }

  /** The command that appends {@code event name} to the events file. */
  private static String mark(String event, String name, Path events) {
    return "echo '" + event + " " + name + "' >> " + events;
  }

  /** The local fleet's instance as the project's {@code fleets/list} shows it. */
  private JsonNode localInstance(String project) {
    Api.Response listed = api().post("/api/project/" + project + "/fleets/list", ADMIN, Map.of());
    assertEquals(200, listed.status(), listed.toString());
    return listed.json().path(0).path("instances").path(0);
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  private static void awaitTrue(BooleanSupplier condition, String what, long deadline) {
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("not in time: " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted waiting for: " + what);
      }
    }
  }
}
