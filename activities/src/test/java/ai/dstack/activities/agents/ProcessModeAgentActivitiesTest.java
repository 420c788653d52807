package ai.dstack.activities.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.activities.logs.JobLog;
import ai.dstack.activities.logs.LogProducer;
import ai.dstack.core.agents.shim.InstanceMountPoint;
import ai.dstack.core.agents.shim.NetworkMode;
import ai.dstack.core.agents.shim.TaskStatus;
import ai.dstack.core.agents.shim.TaskSubmitRequest;
import ai.dstack.core.runs.JobTerminationReason;
import ai.dstack.workflows.agents.AwaitRunner;
import ai.dstack.workflows.agents.AwaitTask;
import ai.dstack.workflows.agents.FollowCursor;
import ai.dstack.workflows.agents.FollowJob;
import ai.dstack.workflows.agents.KillTask;
import ai.dstack.workflows.agents.LogActivities;
import ai.dstack.workflows.agents.RemoveTask;
import ai.dstack.workflows.agents.RunnerTarget;
import ai.dstack.workflows.agents.StartJob;
import ai.dstack.workflows.agents.StartTask;
import ai.dstack.workflows.agents.StopJob;
import ai.dstack.workflows.agents.SubmitJob;
import ai.dstack.workflows.agents.UploadCode;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The agent activities against the shim in process mode: runners and jobs as host processes. */
class ProcessModeAgentActivitiesTest extends AgentActivitiesContract {

  @Override
  String mode() {
    return "process";
  }

  @Override
  String image() {
    return "unused-in-process-mode";
  }

  @Override
  String jobDir(String name) throws IOException {
    return Files.createDirectories(dir.resolve("jobs").resolve(name)).toString();
  }

  @Test
  void aStartSeesARunnerStartedAheadReadyAndRepeatedRunnerStepsFindTheJobRun() throws Exception {
    // once a job's runner has exited, the shim starts the next one ahead
    logs.follow(new FollowJob(start(prepare(TestJobs.newJob("before-warm"), "true"))));
    awaitStandbyRunner();
    var job = TestJobs.newJob("warm");
    byte[] code = TestJobs.tar(dir, "code.txt", "code\n".getBytes(StandardCharsets.US_ASCII));
    var task =
        prepare(job, "sleep 2; cat code.txt", jobDir(job.runName()), code, List.of(), List.of());

    var started = shim.startTask(new StartTask(task, TestJobs.offer()));
    assertNotNull(started.ready(), "the start saw the task running: " + started);
    assertTrue(started.ready().running(), started::toString);
    assertNotNull(started.runner(), "and its runner answering: " + started);
    var target = new RunnerTarget(task, started.ready().runnerPort());
    runner.submitJob(new SubmitJob(target));
    assertTrue(runner.uploadCode(new UploadCode(target)).bytes() > 0);
    assertFalse(runner.startJob(new StartJob(target)).alreadyRunning());
    // a worker that stopped before its workflow task completed runs these local activities again
    runner.submitJob(new SubmitJob(target));
    assertEquals(0, runner.uploadCode(new UploadCode(target)).bytes());
    assertTrue(runner.startJob(new StartJob(target)).alreadyRunning());

    var exit = logs.follow(new FollowJob(target));
    assertEquals(JobTerminationReason.DONE_BY_RUNNER, exit.reason(), exit::toString);
    assertOutput(
        "code\n".getBytes(StandardCharsets.US_ASCII), readAll(JobLog.of(job, LogProducer.JOB)));
    assertTrue(shim.removeTask(new RemoveTask(task, "test over")).existed());
  }

  /** Waits until a runner started ahead stands by in the shim's home. */
  private void awaitStandbyRunner() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Path runners = agents.home().resolve("runners");
    while (true) {
      try (var dirs = Files.list(runners)) {
        boolean standingBy =
            dirs.filter(d -> d.getFileName().toString().startsWith(".standby-"))
                .map(d -> d.resolve("runner.log"))
                .anyMatch(
                    log -> {
                      try {
                        return Files.readString(log).contains("runner standing by");
                      } catch (IOException e) {
                        return false;
                      }
                    });
        if (standingBy) {
          return;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no runner stood by in " + runners + "\n" + agents.log());
      }
      Thread.sleep(50);
    }
  }

  @Test
  void aFailingCommandEndsWithDstacksReasonAndItsExitStatus() throws Exception {
    var job = TestJobs.newJob("failing");
    var target = start(prepare(job, "echo about to fail; exit 3"));

    var exit = logs.follow(new FollowJob(target));

    assertEquals(JobTerminationReason.CONTAINER_EXITED_WITH_ERROR, exit.reason(), exit::toString);
    assertEquals(3, exit.exitStatus(), exit::toString);
    assertOutput(
        "about to fail\n".getBytes(StandardCharsets.US_ASCII),
        readAll(JobLog.of(job, LogProducer.JOB)));
  }

  @Test
  void outputLargerThanOnePullIsStoredWholeAndARetriedStartFindsTheJobRunning() throws Exception {
    var job = TestJobs.newJob("six-megabytes");
    var target = start(prepare(job, "head -c 6000000 /dev/zero | tr '\\0' y; printf '\\nend\\n'"));
    assertTrue(runner.startJob(new StartJob(target)).alreadyRunning());

    var exit = logs.follow(new FollowJob(target));

    assertEquals(JobTerminationReason.DONE_BY_RUNNER, exit.reason(), exit::toString);
    assertOutput(
        ("y".repeat(6_000_000) + "\nend\n").getBytes(StandardCharsets.US_ASCII),
        readAll(JobLog.of(job, LogProducer.JOB)));
  }

  @Test
  void stopJobEndsASleepingJobAndThenFindsItFinished() throws Exception {
    var job = TestJobs.newJob("sleeping");
    var task = prepare(job, "echo started; sleep 60");
    var target = start(task);

    long start = System.nanoTime();
    assertFalse(
        runner
            .stopJob(new StopJob(target, JobTerminationReason.TERMINATED_BY_USER))
            .alreadyFinished());
    var exit = logs.follow(new FollowJob(target));
    var took = Duration.ofNanos(System.nanoTime() - start);

    assertEquals(JobTerminationReason.TERMINATED_BY_USER, exit.reason(), exit::toString);
    assertTrue(
        took.compareTo(Duration.ofSeconds(20)) < 0, "stopped long before the sleep: " + took);
    awaitTaskStatus(task.taskId(), TaskStatus.TERMINATED);
    assertTrue(
        runner
            .stopJob(new StopJob(target, JobTerminationReason.TERMINATED_BY_USER))
            .alreadyFinished(),
        "a stop after the runner is gone finds the job over");
  }

  @Test
  void startKillAndRemoveAreIdempotentAndTheFollowSeesTheKill() throws Exception {
    var job = TestJobs.newJob("killed");
    var task = prepare(job, "sleep 60");
    assertTrue(shim.startTask(new StartTask(task, TestJobs.offer())).created());
    assertFalse(
        shim.startTask(new StartTask(task, TestJobs.offer())).created(),
        "a retried start finds the task");
    var ready = shim.awaitTask(new AwaitTask(task));
    var target = new RunnerTarget(task, ready.runnerPort());
    runner.awaitRunner(new AwaitRunner(target));

    var kill = new KillTask(task, JobTerminationReason.ABORTED_BY_USER, "aborted by the test");
    assertTrue(shim.killTask(kill).wasRunning());
    assertFalse(shim.killTask(kill).wasRunning(), "a second kill finds it over");

    long start = System.nanoTime();
    var exit = logs.follow(new FollowJob(target));
    assertEquals(JobTerminationReason.ABORTED_BY_USER, exit.reason(), exit::toString);
    assertEquals("aborted by the test", exit.message());
    assertTrue(
        Duration.ofNanos(System.nanoTime() - start).compareTo(TIMINGS.unreachableLimit()) < 0,
        "the follow asks the shim instead of waiting for the unreachable limit");

    assertTrue(shim.removeTask(new RemoveTask(task, "test over")).existed());
    assertFalse(shim.removeTask(new RemoveTask(task, "test over")).existed());
    assertFalse(shim.killTask(kill).wasRunning(), "a kill of a removed task is a no-op");
  }

  @Test
  void awaitTaskReportsWhyTheShimGaveUp() throws Exception {
    var job = TestJobs.newJob("bad-mount");
    var task = TestJobs.task(job, agents.port());
    var request =
        new TaskSubmitRequest(
            task.taskId(),
            job.jobName(),
            "",
            "",
            image(),
            "root",
            false,
            0,
            0,
            0,
            0,
            NetworkMode.HOST,
            null,
            null,
            List.of(new InstanceMountPoint("relative/path", "/data", false)),
            null,
            "",
            null,
            null,
            ShimUnderTest.freePort());
    payloads.put(
        job,
        new FixedJobPayloads.Entry(
            request,
            TestJobs.submitBody(job, "true", jobDir("bad-mount"), List.of()),
            null,
            List.of()));

    assertTrue(shim.startTask(new StartTask(task, TestJobs.offer())).created());
    var ready = shim.awaitTask(new AwaitTask(task));

    assertFalse(ready.running());
    assertEquals(JobTerminationReason.EXECUTOR_ERROR, ready.terminationReason());
    assertTrue(
        ready.terminationMessage().contains("instance_path must be absolute"),
        ready.terminationMessage());
    assertTrue(shim.removeTask(new RemoveTask(task, "test over")).existed());
  }

  @Test
  void aTaskTheShimRefusesFailsWithoutRetries() throws Exception {
    var job = TestJobs.newJob("refused");
    var task = TestJobs.task(job, agents.port());
    var request = TaskSubmitRequest.of(task.taskId(), "", image(), 0);
    payloads.put(
        job,
        new FixedJobPayloads.Entry(
            request,
            TestJobs.submitBody(job, "true", jobDir("refused"), List.of()),
            null,
            List.of()));

    var failure =
        assertThrows(
            ActivityFailure.class, () -> shim.startTask(new StartTask(task, TestJobs.offer())));

    var cause = assertInstanceOf(ApplicationFailure.class, failure.getCause());
    assertTrue(cause.isNonRetryable(), cause::toString);
    assertEquals(AgentFailures.REFUSED, cause.getType());
    assertTrue(
        cause
            .getOriginalMessage()
            .startsWith("the shim at 127.0.0.1:" + agents.port() + " refused"),
        cause.getOriginalMessage());
    assertTrue(cause.getOriginalMessage().contains("empty name"), cause.getOriginalMessage());
  }

  @Test
  void aResumedFollowStoresNoLineTwiceAndLosesNone() throws Exception {
    var job = TestJobs.newJob("resumed");
    Path go = Path.of(jobDir(job.runName())).resolve("go");
    String script =
        "r=1; while [ $r -le 5 ]; do i=1; while [ $i -le 80 ]; do echo \"first $r $i\";"
            + " i=$((i+1)); done; r=$((r+1)); sleep 0.2; done"
            + "; while [ ! -f "
            + go
            + " ]; do sleep 0.05; done"
            + "; i=1; while [ $i -le 400 ]; do echo \"second $i\"; i=$((i+1)); done";
    var target = start(prepare(job, script));
    var jobLog = JobLog.of(job, LogProducer.JOB);

    // A first attempt stores a few batches, then its worker is lost (here: it is cancelled).
    // Heartbeats reach the service throttled (every 0.8 heartbeat timeouts): a short timeout
    // lets the cancellation come soon.
    var cancelled = new AtomicBoolean();
    env.setActivityHeartbeatListener(
        FollowCursor.class,
        cursor -> {
          if (cursor.jobLogLines() >= 5 && !cancelled.getAndSet(true)) {
            env.requestCancelActivity();
          }
        });
    var quicklyCancelled =
        ActivityOptions.newBuilder(OPTIONS).setHeartbeatTimeout(Duration.ofSeconds(1)).build();
    var first = env.newActivityStub(LogActivities.class, quicklyCancelled);
    assertThrows(CanceledFailure.class, () -> first.follow(new FollowJob(target)));
    var storedBefore = readAll(jobLog);
    assertTrue(storedBefore.size() >= 5, "the first attempt stored lines: " + storedBefore.size());

    // The retry resumes from heartbeat details older than what the first attempt stored (and let
    // the runner free): the details reached the server throttled, or the worker died in between.
    var middle = storedBefore.get(storedBefore.size() / 2);
    var staleCursor = new FollowCursor(middle.timestamp() - 1, storedBefore.size() / 2, 0);
    Files.createFile(go);
    var retry = environment();
    try {
      retry.setHeartbeatDetails(staleCursor);
      var exit = retry.newActivityStub(LogActivities.class, OPTIONS).follow(new FollowJob(target));
      assertEquals(JobTerminationReason.DONE_BY_RUNNER, exit.reason(), exit::toString);
    } finally {
      retry.close();
    }

    var expected = new ByteArrayOutputStream();
    for (int r = 1; r <= 5; r++) {
      for (int i = 1; i <= 80; i++) {
        expected.writeBytes(("first " + r + " " + i + "\n").getBytes(StandardCharsets.US_ASCII));
      }
    }
    for (int i = 1; i <= 400; i++) {
      expected.writeBytes(("second " + i + "\n").getBytes(StandardCharsets.US_ASCII));
    }
    var stored = readAll(jobLog);
    assertOutput(expected.toByteArray(), stored);
    assertEquals(
        storedBefore, stored.subList(0, storedBefore.size()), "earlier lines stay as stored");
  }

  private void awaitTaskStatus(String taskId, TaskStatus status) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      var task = agents.task(taskId);
      if (task != null && task.status() == status) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("task " + taskId + " is not " + status + ": " + task);
      }
      Thread.sleep(50);
    }
  }
}
