package ai.dstack.activities.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.activities.logs.FileLogStore;
import ai.dstack.core.agents.shim.TaskSubmitRequest;
import ai.dstack.core.runs.JobTerminationReason;
import ai.dstack.workflows.agents.AwaitTask;
import ai.dstack.workflows.agents.FollowJob;
import ai.dstack.workflows.agents.KillTask;
import ai.dstack.workflows.agents.LogActivities;
import ai.dstack.workflows.agents.RunnerTarget;
import ai.dstack.workflows.agents.ShimActivities;
import ai.dstack.workflows.agents.StartTask;
import ai.dstack.workflows.agents.TaskTarget;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Agents that do not answer: ports nothing listens on. */
class UnreachableAgentsTest {
  static final AgentTimings TIMINGS =
      AgentTimings.DEFAULTS
          .withPollInterval(Duration.ofMillis(100))
          .withUnreachableLimit(Duration.ofSeconds(2));

  @TempDir Path temp;
  FixedJobPayloads payloads = new FixedJobPayloads();
  TestActivityEnvironment env;
  ShimActivities shim;
  LogActivities logs;

  @BeforeEach
  void newEnvironment() {
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new ShimActivitiesImpl(payloads, TIMINGS),
        new LogActivitiesImpl(new FileLogStore(temp.resolve("logs")), TIMINGS));
    shim = env.newActivityStub(ShimActivities.class, AgentActivitiesContract.OPTIONS);
    logs = env.newActivityStub(LogActivities.class, AgentActivitiesContract.OPTIONS);
  }

  @AfterEach
  void closeEnvironment() {
    env.close();
  }

  TaskTarget deadTask(boolean spot) throws Exception {
    var job = TestJobs.newJob("unreachable");
    var task =
        new TaskTarget(
            job, TestJobs.instance(ShimUnderTest.freePort(), spot), UUID.randomUUID().toString());
    payloads.put(
        job,
        new FixedJobPayloads.Entry(
            TaskSubmitRequest.of(task.taskId(), job.jobName(), "img", 0),
            TestJobs.submitBody(job, "true", "/tmp", List.of()),
            null,
            List.of()));
    return task;
  }

  @ParameterizedTest(name = "spot={0}")
  @ValueSource(booleans = {false, true})
  void followEndsAsDstackDoesOnceTheInstanceIsUnreachableForTheLimit(boolean spot)
      throws Exception {
    var target = new RunnerTarget(deadTask(spot), ShimUnderTest.freePort());

    long start = System.nanoTime();
    var exit = logs.follow(new FollowJob(target));
    var took = Duration.ofNanos(System.nanoTime() - start);

    assertEquals(
        spot
            ? JobTerminationReason.INTERRUPTED_BY_NO_CAPACITY
            : JobTerminationReason.INSTANCE_UNREACHABLE,
        exit.reason());
    assertEquals("Instance is unreachable", exit.message());
    assertTrue(took.compareTo(TIMINGS.unreachableLimit()) >= 0, "waited the limit: " + took);
    assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "not much longer: " + took);
  }

  @Test
  void awaitTaskGivesUpOnAnUnreachableShim() throws Exception {
    var ready = shim.awaitTask(new AwaitTask(deadTask(false)));

    assertFalse(ready.running());
    assertEquals(JobTerminationReason.INSTANCE_UNREACHABLE, ready.terminationReason());
  }

  @Test
  void startAndKillOnAnUnreachableShimFailRetryablySayingWhere() throws Exception {
    var task = deadTask(false);
    for (var call :
        List.<Runnable>of(
            () -> shim.startTask(new StartTask(task, TestJobs.offer())),
            () -> shim.killTask(new KillTask(task, JobTerminationReason.ABORTED_BY_USER, "x")))) {
      var failure = assertThrows(ActivityFailure.class, call::run);
      var cause = assertInstanceOf(ApplicationFailure.class, failure.getCause());
      assertFalse(cause.isNonRetryable(), cause::toString);
      assertEquals(
          "cannot reach the shim at 127.0.0.1:"
              + task.instance().shimPort()
              + ": connection refused",
          cause.getOriginalMessage());
    }
  }
}
