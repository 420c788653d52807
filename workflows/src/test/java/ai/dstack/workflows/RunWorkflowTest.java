package ai.dstack.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.runs.JobStatus;
import ai.dstack.core.runs.JobTerminationReason;
import ai.dstack.core.runs.RetryEvent;
import ai.dstack.core.runs.RetryPolicy;
import ai.dstack.core.runs.RunStatus;
import ai.dstack.core.runs.RunTerminationReason;
import ai.dstack.workflows.WorkflowBench.RunSpec;
import ai.dstack.workflows.jobs.JobResult;
import ai.dstack.workflows.jobs.JobWorkflow;
import ai.dstack.workflows.projections.RunRecord;
import ai.dstack.workflows.runs.StopRun;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.CanceledFailure;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A run from submission to its end: status derivation, stop and abort, max_duration, retry. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunWorkflowTest {
  private WorkflowBench bench;

  @BeforeEach
  void start() {
    bench = new WorkflowBench();
    bench.startLocalFleet(2);
  }

  @AfterEach
  void stop() {
    assertEquals(List.of(), bench.agents.leakedTasks(), "tasks left behind");
    var fleet = bench.fleet("local").view();
    assertEquals(List.of(), fleet.allocations(), "slots left held");
    assertEquals(List.of(), fleet.queue(), "requests left queued");
    bench.close();
  }

  private static List<String> steps(List<String> calls) {
    return calls.stream().map(c -> c.substring(0, c.indexOf(' '))).toList();
  }

  /** How long each timer of the workflow was set for, in seconds, in order. */
  private static List<Long> timers(WorkflowExecutionHistory history) {
    return history.getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_TIMER_STARTED)
        .map(e -> e.getTimerStartedEventAttributes().getStartToFireTimeout().getSeconds())
        .toList();
  }

  private void awaitJobStatus(WorkflowBench.Run run, int submission, JobStatus status) {
    WorkflowBench.await(
        run.name + " job " + status.value(),
        () -> bench.projections.jobStatuses(run.name, submission).contains(status.value()));
  }

  @Test
  void doneJobMakesTheRunDone() {
    var run = bench.startRun("hello");
    var result = run.result();

    assertEquals(RunStatus.DONE, result.status());
    assertEquals(RunTerminationReason.ALL_JOBS_DONE, result.terminationReason());
    assertNull(result.error());
    var job = result.submissions().getFirst();
    assertEquals(JobStatus.DONE, job.status());
    assertEquals(JobTerminationReason.DONE_BY_RUNNER, job.terminationReason());
    assertEquals("exited (0)", job.statusMessage());
    assertEquals(
        List.of(
            "startTask",
            "awaitTask",
            "awaitRunner",
            "submitJob",
            "uploadCode",
            "startJob",
            "follow#1",
            "removeTask"),
        steps(bench.agents.callsOf("hello")));
    assertEquals(
        List.of("submitted", "provisioning", "pulling", "running", "done"),
        bench.projections.jobStatuses("hello", 0));
    var runStatuses = bench.projections.runStatuses("hello");
    assertEquals("submitted", runStatuses.getFirst());
    assertEquals(
        List.of("terminating", "done"),
        runStatuses.subList(runStatuses.size() - 2, runStatuses.size()));
    assertEquals(1, job.attempts().size());
    assertTrue(job.attempts().getFirst().succeeded());
    assertEquals(3, bench.agents.storedLines.values().iterator().next().size());

    bench.keepHistory("run-done", run.workflowId);
    bench.keepHistory("job-done", run.jobWorkflowId(0, 0, 0));
  }

  @Test
  void searchAttributesFollowTheRun() {
    var run = bench.startRun("findable");
    run.result();
    var attributes = WorkflowStub.fromTyped(run.stub()).describe().getTypedSearchAttributes();
    assertEquals("main", attributes.get(DstackSearchAttributes.PROJECT));
    assertEquals("findable", attributes.get(DstackSearchAttributes.RUN));
    assertEquals("admin", attributes.get(DstackSearchAttributes.USER));
    assertEquals("local", attributes.get(DstackSearchAttributes.FLEET));
    assertEquals("local", attributes.get(DstackSearchAttributes.BACKEND));
    assertEquals("done", attributes.get(DstackSearchAttributes.STATUS));
    var job = bench.client.newWorkflowStub(JobWorkflow.class, run.jobWorkflowId(0, 0, 0));
    var jobAttributes = WorkflowStub.fromTyped(job).describe().getTypedSearchAttributes();
    assertEquals("done", jobAttributes.get(DstackSearchAttributes.STATUS));
    assertEquals("findable", jobAttributes.get(DstackSearchAttributes.RUN));
  }

  @Test
  void failingJobFailsTheRunWithJobFailed() {
    bench.agents.script("oops").exitStatuses = List.of(3);
    var run = bench.startRun("oops");
    var result = run.result();

    assertEquals(RunStatus.FAILED, result.status());
    assertEquals(RunTerminationReason.JOB_FAILED, result.terminationReason());
    assertEquals(1, result.submissions().size(), "no retry policy: no resubmission");
    var job = result.submissions().getFirst();
    assertEquals(JobStatus.FAILED, job.status());
    assertEquals(JobTerminationReason.CONTAINER_EXITED_WITH_ERROR, job.terminationReason());
    assertEquals(3, job.exitStatus());
    assertEquals("exited (3)", job.statusMessage());
    assertEquals("failed", run.detail().status().value());

    bench.keepHistory("run-failed", run.workflowId);
  }

  @Test
  void oneFailingNodeStopsTheOthersAndFailsTheRun() {
    var script = bench.agents.script("cluster");
    script.exitStatuses = List.of(1);
    script.nodesRunningUntilStopped = java.util.Set.of(0);
    var run = bench.startRun(new RunSpec("cluster").nodes(2));
    var result = run.result();

    assertEquals(RunStatus.FAILED, result.status());
    assertEquals(RunTerminationReason.JOB_FAILED, result.terminationReason());
    var byNode =
        result.submissions().stream()
            .sorted(java.util.Comparator.comparingInt(j -> j.job().jobNum()))
            .toList();
    assertEquals(JobStatus.TERMINATED, byNode.get(0).status());
    assertEquals(JobTerminationReason.TERMINATED_BY_SERVER, byNode.get(0).terminationReason());
    assertEquals(JobStatus.FAILED, byNode.get(1).status());
    assertTrue(
        bench.agents.callsOf("cluster").stream().anyMatch(c -> c.startsWith("stopJob")),
        "the surviving node is stopped gracefully");
  }

  @Test
  void stopTerminatesTheJobGracefully() {
    bench.agents.script("server").runUntilStopped = true;
    var run = bench.startRun("server");
    awaitJobStatus(run, 0, JobStatus.RUNNING);
    run.stop(false);
    var result = run.result();

    assertEquals(RunStatus.TERMINATED, result.status());
    assertEquals(RunTerminationReason.STOPPED_BY_USER, result.terminationReason());
    var job = result.submissions().getFirst();
    assertEquals(JobStatus.TERMINATED, job.status());
    assertEquals(JobTerminationReason.TERMINATED_BY_USER, job.terminationReason());
    assertEquals("stopped", job.statusMessage());
    assertEquals(143, job.exitStatus());
    var steps = steps(bench.agents.callsOf("server"));
    assertTrue(steps.contains("stopJob"));
    assertFalse(steps.contains("killTask"), "a job that stops in time is not killed");
    assertTrue(bench.projections.jobStatuses("server", 0).contains("terminating"));

    bench.keepHistory("run-stopped", run.workflowId);
    bench.keepHistory("job-stopped", run.jobWorkflowId(0, 0, 0));
  }

  @Test
  void theUserWhoStopsARunIsTheActorOfItsChangeToTerminatingOnly() {
    bench.agents.script("stopped-by").runUntilStopped = true;
    var run = bench.startRun("stopped-by");
    awaitJobStatus(run, 0, JobStatus.RUNNING);
    var user = UUID.randomUUID();
    run.stub().stop(new StopRun(false, user));
    run.result();

    List<RunRecord> records;
    synchronized (bench.projections.runs) {
      records =
          bench.projections.runs.stream().filter(r -> r.runName().equals("stopped-by")).toList();
    }
    var terminating =
        records.stream().filter(r -> r.status() == RunStatus.TERMINATING).findFirst().orElseThrow();
    assertEquals(user, terminating.actorUserId());
    assertEquals(
        List.of(terminating),
        records.stream().filter(r -> r.actorUserId() != null).toList(),
        "only the change the stop made names the user");
  }

  @Test
  void stopKillsAfterStopDurationWhenTheJobIgnoresIt() {
    var script = bench.agents.script("stubborn");
    script.runUntilStopped = true;
    script.ignoresGracefulStop = true;
    // Real seconds: a running activity (following the job) keeps the test server from skipping.
    var run = bench.startRun(new RunSpec("stubborn").stopDuration(1L));
    awaitJobStatus(run, 0, JobStatus.RUNNING);
    run.stop(false);
    var result = run.result();

    assertEquals(RunStatus.TERMINATED, result.status());
    var job = result.submissions().getFirst();
    assertEquals(JobTerminationReason.TERMINATED_BY_USER, job.terminationReason());
    var steps = steps(bench.agents.callsOf("stubborn"));
    assertTrue(steps.indexOf("stopJob") < steps.indexOf("killTask"), "stop first, kill after");
    assertTrue(timers(bench.history(run.jobWorkflowId(0, 0, 0))).contains(1L));

    bench.keepHistory("job-killed-after-stop-duration", run.jobWorkflowId(0, 0, 0));
  }

  @Test
  void abortKillsAtOnce() {
    bench.agents.script("abort-me").runUntilStopped = true;
    var run = bench.startRun("abort-me");
    awaitJobStatus(run, 0, JobStatus.RUNNING);
    run.stop(true);
    var result = run.result();

    assertEquals(RunStatus.TERMINATED, result.status());
    assertEquals(RunTerminationReason.ABORTED_BY_USER, result.terminationReason());
    var job = result.submissions().getFirst();
    assertEquals(JobStatus.ABORTED, job.status());
    assertEquals(JobTerminationReason.ABORTED_BY_USER, job.terminationReason());
    assertEquals("aborted", job.statusMessage());
    var steps = steps(bench.agents.callsOf("abort-me"));
    assertFalse(steps.contains("stopJob"), "an abort skips the graceful stop");
    assertTrue(steps.contains("killTask"));

    bench.keepHistory("run-aborted", run.workflowId);
  }

  @Test
  void abortCutsAGracefulStopShort() {
    var script = bench.agents.script("impatient");
    script.runUntilStopped = true;
    script.ignoresGracefulStop = true;
    var run = bench.startRun(new RunSpec("impatient").stopDuration(null));
    awaitJobStatus(run, 0, JobStatus.RUNNING);
    run.stop(false);
    WorkflowBench.await(
        "graceful stop", () -> steps(bench.agents.callsOf("impatient")).contains("stopJob"));
    run.stop(true);
    var result = run.result();

    assertEquals(RunTerminationReason.ABORTED_BY_USER, result.terminationReason());
    assertEquals(JobStatus.ABORTED, result.submissions().getFirst().status());
    assertTrue(steps(bench.agents.callsOf("impatient")).contains("killTask"));
  }

  @Test
  void maxDurationStopsTheJobAndFailsTheRunAsDstackDoes() {
    bench.agents.script("long").runUntilStopped = true;
    // Real seconds: a running activity (following the job) keeps the test server from skipping.
    var run = bench.startRun(new RunSpec("long").maxDuration(2L));
    var result = run.result();

    // dstack's rule: max_duration_exceeded is not retryable, so the run fails with job_failed.
    var job = result.submissions().getFirst();
    assertEquals(JobStatus.TERMINATED, job.status());
    assertEquals(JobTerminationReason.MAX_DURATION_EXCEEDED, job.terminationReason());
    assertEquals(RunStatus.FAILED, result.status());
    assertEquals(RunTerminationReason.JOB_FAILED, result.terminationReason());
    assertTrue(steps(bench.agents.callsOf("long")).contains("stopJob"), "stopped gracefully");
    assertTrue(timers(bench.history(run.jobWorkflowId(0, 0, 0))).contains(2L));

    bench.keepHistory("job-max-duration", run.jobWorkflowId(0, 0, 0));
  }

  @Test
  void retryOnErrorResubmitsAfterBackoffUntilTheJobSucceeds() {
    bench.agents.script("flaky").exitStatuses = List.of(1, 1, 0);
    var run =
        bench.startRun(
            new RunSpec("flaky").retry(new RetryPolicy(List.of(RetryEvent.ERROR), 3600)));
    var result = run.result();

    assertEquals(RunStatus.DONE, result.status());
    assertEquals(
        List.of(JobStatus.FAILED, JobStatus.FAILED, JobStatus.DONE),
        result.submissions().stream().map(JobResult::status).toList());
    assertEquals(
        List.of(0, 1, 2), result.submissions().stream().map(j -> j.job().submissionNum()).toList());
    // Each failure came after the run provisioned, which resets dstack's backoff: 15 s each time.
    var history = bench.history(run.workflowId);
    assertEquals(List.of(15L, 15L), timers(history));
    assertTrue(bench.projections.runStatuses("flaky").contains("pending"));

    bench.keepHistory("run-retried-on-error", run.workflowId);
  }

  @Test
  void noCapacityBacksOffLongerEachTime() {
    bench.agents.script("crowded").noCapacitySubmissions = 2;
    var run =
        bench.startRun(
            new RunSpec("crowded").retry(new RetryPolicy(List.of(RetryEvent.NO_CAPACITY), 3600)));
    var result = run.result();

    assertEquals(RunStatus.DONE, result.status());
    assertEquals(3, result.submissions().size());
    var first = result.submissions().getFirst();
    assertEquals(
        JobTerminationReason.FAILED_TO_START_DUE_TO_NO_CAPACITY, first.terminationReason());
    assertEquals("no capacity", first.statusMessage());
    assertEquals(List.of(15L, 30L), timers(bench.history(run.workflowId)));
    assertTrue(
        bench.projections.runs.stream()
            .anyMatch(r -> r.runName().equals("crowded") && r.statusMessage().equals("retrying")),
        "dstack shows a run waiting out no capacity as retrying");

    bench.keepHistory("run-retried-on-no-capacity", run.workflowId);
  }

  @Test
  void retryGivesUpWhenItsDurationRunsOut() {
    bench.agents.script("hopeless").noCapacitySubmissions = 100;
    var run =
        bench.startRun(
            new RunSpec("hopeless").retry(new RetryPolicy(List.of(RetryEvent.NO_CAPACITY), 20)));
    var result = run.result();

    // Submitted at 0 s, 15 s and 45 s: the third is past the 20 s the policy allows.
    assertEquals(RunStatus.FAILED, result.status());
    assertEquals(RunTerminationReason.RETRY_LIMIT_EXCEEDED, result.terminationReason());
    assertEquals("retry limit exceeded", result.error());
    assertEquals(3, result.submissions().size());
  }

  @Test
  void stopWhilePendingEndsTheRunWithoutResubmitting() {
    bench.agents.script("patient").noCapacitySubmissions = 100;
    var run =
        bench.startRun(
            new RunSpec("patient").retry(new RetryPolicy(List.of(RetryEvent.NO_CAPACITY), 3600)));
    WorkflowBench.await("pending", () -> run.detail().status() == RunStatus.PENDING);
    assertTrue(run.detail().nextResubmissionAt() != null);
    run.stop(false);
    var result = run.result();

    assertEquals(RunStatus.TERMINATED, result.status());
    assertEquals(RunTerminationReason.STOPPED_BY_USER, result.terminationReason());
    assertEquals(1, result.submissions().size());
  }

  @Test
  void stopWhileQueuedLeavesTheFleetQueue() {
    bench.agents.script("first").runUntilStopped = true;
    bench.agents.script("second").runUntilStopped = true;
    bench.agents.script("third").runUntilStopped = true;
    var first = bench.startRun("first");
    var second = bench.startRun("second");
    awaitJobStatus(first, 0, JobStatus.RUNNING);
    awaitJobStatus(second, 0, JobStatus.RUNNING);
    var third = bench.startRun("third");
    WorkflowBench.await("third queued", () -> bench.fleet("local").view().queue().size() == 1);

    var job = bench.client.newWorkflowStub(JobWorkflow.class, third.jobWorkflowId(0, 0, 0));
    var detail = job.detail();
    assertEquals(JobStatus.SUBMITTED, detail.status());
    assertEquals(1, detail.queuePosition());
    assertTrue(detail.waitingFor().startsWith("a slot in fleet local"), detail.waitingFor());
    var entry = bench.fleet("local").view().queue().getFirst();
    assertEquals(1, entry.position());
    assertEquals(third.jobWorkflowId(0, 0, 0), entry.jobWorkflowId());
    assertEquals(RunStatus.SUBMITTED, third.detail().status());

    third.stop(false);
    var result = third.result();
    assertEquals(RunStatus.TERMINATED, result.status());
    assertEquals(JobStatus.TERMINATED, result.submissions().getFirst().status());
    assertEquals(List.of(), bench.agents.callsOf("third"), "it never reached an instance");
    assertEquals(List.of(), bench.fleet("local").view().queue());

    first.stop(true);
    second.stop(true);
    first.result();
    second.result();
    bench.keepHistory("job-stopped-while-queued", third.jobWorkflowId(0, 0, 0));
  }

  @Test
  @org.junit.jupiter.api.Disabled(
      "the in-memory test server fails about 1 run in 3 when a cancelled parent cancels its child"
          + " (NullPointerException in TestWorkflowMutableStateImpl: 'Failure reporting external"
          + " cancellation requested'), and the run workflow is then stuck; to move onto the real"
          + " dev server (issue 5)")
  void cancellingTheRunWorkflowCleansUpItsJobs() {
    bench.agents.script("cancelled").runUntilStopped = true;
    var run = bench.startRun("cancelled");
    awaitJobStatus(run, 0, JobStatus.RUNNING);
    WorkflowStub.fromTyped(run.stub()).cancel();

    // A cancelled run workflow ends cancelled; its job workflow cleans up and projects its end
    // (the test server may report the child cancelled before the child has closed).
    var failure = assertThrows(WorkflowFailedException.class, run::result);
    assertInstanceOf(CanceledFailure.class, failure.getCause());
    WorkflowBench.await(
        "the job's end projected",
        () -> bench.projections.jobStatuses("cancelled", 0).contains("terminated"));
    assertEquals(
        List.of("submitted", "provisioning", "pulling", "running", "terminated"),
        bench.projections.jobStatuses("cancelled", 0));
    var runStatuses = bench.projections.runStatuses("cancelled");
    assertEquals("terminated", runStatuses.getLast());
    WorkflowBench.await(
        "the task removed", () -> steps(bench.agents.callsOf("cancelled")).contains("removeTask"));

    bench.keepHistory("run-cancelled", run.workflowId);
    bench.keepHistory("job-cancelled", run.jobWorkflowId(0, 0, 0));
  }
}
