package ai.dstack.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.runs.JobSpecSummary;
import ai.dstack.core.runs.JobStatus;
import ai.dstack.core.runs.JobSubmissionRef;
import ai.dstack.core.runs.JobTerminationReason;
import ai.dstack.core.runs.ProvisioningAttempt;
import ai.dstack.core.runs.RunStatus;
import ai.dstack.core.runs.RunTerminationReason;
import ai.dstack.workflows.WorkflowBench.RunSpec;
import ai.dstack.workflows.jobs.JobInput;
import ai.dstack.workflows.jobs.JobWorkflow;
import io.temporal.client.WorkflowOptions;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One job submission: offers and fallback, provisioning failures, cleanup, log following. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JobWorkflowTest {
  private WorkflowBench bench;

  @BeforeEach
  void start() {
    bench = new WorkflowBench();
    bench.startFleet(
        "pool", 0, WorkflowBench.instance("cheap", 1.0, 1), WorkflowBench.instance("dear", 2.0, 1));
  }

  @AfterEach
  void stop() {
    assertEquals(List.of(), bench.agents.leakedTasks(), "tasks left behind");
    var fleet = bench.fleet("pool").view();
    assertEquals(List.of(), fleet.allocations(), "slots left held");
    assertEquals(List.of(), fleet.queue(), "requests left queued");
    bench.close();
  }

  private static List<String> attempts(List<ProvisioningAttempt> attempts) {
    return attempts.stream()
        .map(a -> a.offer().instanceId() + (a.succeeded() ? " ok" : " failed: " + a.reason()))
        .toList();
  }

  @Test
  void offersAreTriedCheapestFirstFallingBackOnFailure() {
    bench.agents.script("fallback").refusingInstances = Set.of("cheap");
    var run = bench.startRun(new RunSpec("fallback").fleet("pool"));
    var result = run.result();

    assertEquals(RunStatus.DONE, result.status());
    var job = result.submissions().getFirst();
    assertEquals(
        List.of("cheap failed: shim on cheap refused the task", "dear ok"),
        attempts(job.attempts()));
    assertEquals("dear", job.offer().instanceId());
    var starts =
        bench.agents.callsOf("fallback").stream().filter(c -> c.startsWith("startTask")).toList();
    assertEquals(2, starts.size());
    assertTrue(starts.get(0).endsWith("on cheap") && starts.get(1).endsWith("on dear"));
    var recorded = bench.projections.jobs.getLast();
    assertEquals(2, recorded.attempts().size(), "attempts are projected for runs/get");

    bench.keepHistory("job-fallback", run.jobWorkflowId(0, 0, 0));
  }

  @Test
  void allOffersFailingIsNoCapacity() {
    bench.agents.script("nowhere").refusingInstances = Set.of("cheap", "dear");
    var run = bench.startRun(new RunSpec("nowhere").fleet("pool"));
    var result = run.result();

    assertEquals(RunStatus.FAILED, result.status());
    assertEquals(RunTerminationReason.JOB_FAILED, result.terminationReason());
    var job = result.submissions().getFirst();
    assertEquals(JobStatus.FAILED, job.status());
    assertEquals(JobTerminationReason.FAILED_TO_START_DUE_TO_NO_CAPACITY, job.terminationReason());
    assertEquals("no capacity", job.statusMessage());
    assertTrue(
        job.terminationMessage().startsWith("all 2 offers failed"), job.terminationMessage());
    assertEquals(2, job.attempts().size());
    assertFalse(job.provisioned());
  }

  @Test
  void anAmbiguousStartFailureIsStillCleanedUp() {
    // The shim creates the task, then the call fails: the removal registered before it finds it.
    var script = bench.agents.script("ambiguous");
    script.refusingInstances = Set.of("cheap", "dear");
    script.refusesAfterCreating = true;
    var run = bench.startRun(new RunSpec("ambiguous").fleet("pool"));
    run.result();

    assertEquals(2, bench.agents.tasks.size(), "both shims created a task");
    assertTrue(bench.agents.tasks.values().stream().allMatch(t -> t.removed));
  }

  @Test
  void aRunnerThatNeverAnswersFailsTheJobAndCleansUp() {
    bench.agents.script("silent").runnerNeverReady = true;
    var run = bench.startRun(new RunSpec("silent").fleet("pool"));
    var result = run.result();

    var job = result.submissions().getFirst();
    assertEquals(JobStatus.FAILED, job.status());
    assertEquals(JobTerminationReason.WAITING_RUNNER_LIMIT_EXCEEDED, job.terminationReason());
    assertEquals("the runner did not answer", job.terminationMessage());
    assertTrue(job.provisioned(), "it got an instance");
    assertEquals(RunStatus.FAILED, result.status());

    bench.keepHistory("job-runner-never-ready", run.jobWorkflowId(0, 0, 0));
  }

  @Test
  void followResumesFromItsHeartbeatCursorAfterAWorkerCrash() {
    var script = bench.agents.script("resumed");
    script.logLines = 5;
    script.followCrashesAfterLines = 2;
    var run = bench.startRun(new RunSpec("resumed").fleet("pool"));
    assertEquals(RunStatus.DONE, run.result().status());

    var follows =
        bench.agents.callsOf("resumed").stream().filter(c -> c.startsWith("follow")).toList();
    assertEquals(2, follows.size());
    assertTrue(follows.get(1).startsWith("follow#2"));
    var lines = bench.agents.storedLines.values().iterator().next();
    assertEquals(List.of("line 0", "line 1", "line 2", "line 3", "line 4"), lines);
  }

  @Test
  void aTaskAndRunnerSeenReadyAtTheStartAreNotWaitedFor() {
    bench.agents.script("warm").readyAtStart = true;
    var run = bench.startRun(new RunSpec("warm").fleet("pool"));

    var result = run.result();
    assertEquals(RunStatus.DONE, result.status(), result::toString);
    assertEquals(
        List.of("startTask", "submitJob", "uploadCode", "startJob", "follow#1", "removeTask"),
        bench.agents.callsOf("warm").stream().map(c -> c.substring(0, c.indexOf(' '))).toList());
    assertEquals(
        List.of("submitted", "provisioning", "pulling", "running", "done"),
        bench.projections.jobStatuses("warm", 0));
    bench.keepHistory("job-done-quick-start", run.jobWorkflowId(0, 0, 0));
  }

  @Test
  void aJobWorkflowRunsAloneWithoutARunWorkflow() {
    var submission =
        new JobSubmissionRef(
            WorkflowBench.PROJECT,
            "alone",
            UUID.randomUUID(),
            "alone-0-0",
            0,
            0,
            0,
            UUID.randomUUID());
    var spec = new JobSpecSummary("alone-0-0", 0, 0, 1, "dstack-base:local", null, 300L, null, "");
    var id = "job/" + WorkflowBench.PROJECT + "/alone";
    var stub =
        bench.client.newWorkflowStub(
            JobWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(DstackWorkflows.TASK_QUEUE)
                .setWorkflowId(id)
                .build());
    var result =
        stub.run(
            new JobInput(
                submission,
                spec,
                null,
                WorkflowBench.USER,
                "pool",
                WorkflowIds.fleet(WorkflowBench.PROJECT, "pool"),
                0,
                bench.epoch));

    assertEquals(JobStatus.DONE, result.status());
    assertEquals("cheap", result.offer().instanceId(), "the cheapest offer first");
  }
}
