package ai.dstack.activities.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.activities.logs.FileLogStore;
import ai.dstack.activities.logs.JobLog;
import ai.dstack.activities.logs.LogPage;
import ai.dstack.activities.logs.LogProducer;
import ai.dstack.activities.logs.LogQuery;
import ai.dstack.core.agents.runner.FileArchiveMapping;
import ai.dstack.core.agents.runner.LogEvent;
import ai.dstack.core.agents.shim.TaskSubmitRequest;
import ai.dstack.core.runs.JobSubmissionRef;
import ai.dstack.core.runs.JobTerminationReason;
import ai.dstack.workflows.agents.AwaitRunner;
import ai.dstack.workflows.agents.AwaitTask;
import ai.dstack.workflows.agents.FollowJob;
import ai.dstack.workflows.agents.KillTask;
import ai.dstack.workflows.agents.LogActivities;
import ai.dstack.workflows.agents.RemoveTask;
import ai.dstack.workflows.agents.RunnerActivities;
import ai.dstack.workflows.agents.RunnerTarget;
import ai.dstack.workflows.agents.ShimActivities;
import ai.dstack.workflows.agents.StartJob;
import ai.dstack.workflows.agents.StartTask;
import ai.dstack.workflows.agents.SubmitJob;
import ai.dstack.workflows.agents.TaskTarget;
import ai.dstack.workflows.agents.UploadCode;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The agent activities run for real by Temporal's test activity environment, against the real shim
 * (one per test class) running the real runner: the same flow in each of the shim's modes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AgentActivitiesContract {
  /** Retries are the workflow's business: here each call runs once and shows its failure. */
  static final ActivityOptions OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(3))
          .setHeartbeatTimeout(Duration.ofSeconds(30))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
          .build();

  static final AgentTimings TIMINGS =
      AgentTimings.DEFAULTS
          .withPollInterval(Duration.ofMillis(100))
          .withUnreachableLimit(Duration.ofSeconds(10));

  /** The non-ASCII and non-UTF-8 part of each line the big job prints. */
  static final byte[] LINE_TAIL =
      concat(
          " grüße 日本 🚀 ".getBytes(StandardCharsets.UTF_8),
          new byte[] {(byte) 0xff, (byte) 0xfe, '\n'});

  /** The same, as the job's printf writes it (octal escapes keep the command ASCII). */
  static final String LINE_TAIL_PRINTF =
      " gr\\303\\274\\303\\237e \\346\\227\\245\\346\\234\\254 \\360\\237\\232\\200 \\377\\376\\n";

  Path dir;
  ShimUnderTest agents;
  FixedJobPayloads payloads = new FixedJobPayloads();
  FileLogStore store;
  TestActivityEnvironment env;
  ShimActivities shim;
  RunnerActivities runner;
  LogActivities logs;

  /** The shim's mode: {@code process} or {@code docker}. */
  abstract String mode();

  /** The image of the job's container (unused in process mode). */
  abstract String image();

  /** A directory the job may work in, as the job sees it. */
  abstract String jobDir(String name) throws IOException;

  @BeforeAll
  void startShim() throws IOException {
    dir = Files.createTempDirectory("dstack-activities-" + mode() + "-");
    agents = ShimUnderTest.start(dir, mode());
    store = new FileLogStore(dir.resolve("logs"));
  }

  @AfterAll
  void stopShim() throws IOException {
    try {
      if (agents != null) {
        agents.close();
      }
    } finally {
      deleteTree(dir);
    }
  }

  @BeforeEach
  void newEnvironment() {
    env = environment();
    shim = env.newActivityStub(ShimActivities.class, OPTIONS);
    runner = env.newActivityStub(RunnerActivities.class, OPTIONS);
    logs = env.newActivityStub(LogActivities.class, OPTIONS);
  }

  @AfterEach
  void closeEnvironment() {
    env.close();
  }

  /** A test activity environment running the real activity implementations. */
  TestActivityEnvironment environment() {
    var environment = TestActivityEnvironment.newInstance();
    environment.registerActivitiesImplementations(
        new ShimActivitiesImpl(payloads, TIMINGS),
        new RunnerActivitiesImpl(payloads, TIMINGS),
        new LogActivitiesImpl(store, TIMINGS));
    return environment;
  }

  /** Registers a job's payloads: {@code script} run by /bin/sh; returns its task. */
  TaskTarget prepare(
      JobSubmissionRef job,
      String script,
      String jobDir,
      byte[] code,
      List<JobPayloads.FileArchive> archives,
      List<FileArchiveMapping> mappings)
      throws IOException {
    var task = TestJobs.task(job, agents.port());
    var request =
        TaskSubmitRequest.of(task.taskId(), job.jobName(), image(), ShimUnderTest.freePort());
    payloads.put(
        job,
        new FixedJobPayloads.Entry(
            request, TestJobs.submitBody(job, script, jobDir, mappings), code, archives));
    return task;
  }

  TaskTarget prepare(JobSubmissionRef job, String script) throws IOException {
    return prepare(job, script, jobDir(job.runName()), null, List.of(), List.of());
  }

  /** Takes a prepared job from its task's start to its commands running, as the workflow does. */
  RunnerTarget start(TaskTarget task) {
    var started = shim.startTask(new StartTask(task, TestJobs.offer()));
    assertTrue(started.created(), "a new task is created");
    var ready = shim.awaitTask(new AwaitTask(task));
    assertTrue(ready.running(), () -> "the task runs: " + ready + "\n" + agents.log());
    var target = new RunnerTarget(task, ready.runnerPort());
    var health = runner.awaitRunner(new AwaitRunner(target));
    assertFalse(health.version().isEmpty());
    assertNull(runner.submitJob(new SubmitJob(target)).workingDir());
    runner.uploadCode(new UploadCode(target));
    assertFalse(runner.startJob(new StartJob(target)).alreadyRunning());
    return target;
  }

  @Test
  void runsAJobThroughEveryActivityAndStoresItsOutputByteForByte() throws Exception {
    var job = TestJobs.newJob("big-output");
    String jobDir = jobDir(job.runName());
    byte[] hello = "hello from the code: ünïcödé\n".getBytes(StandardCharsets.UTF_8);
    byte[] data = "data from a file archive\n".getBytes(StandardCharsets.UTF_8);
    var archive =
        new JobPayloads.FileArchive(
            "archive-1", JobPayloads.Payload.of(TestJobs.tar(dir, "data.txt", data)));
    int lines = 3000;
    String script =
        "i=1; while [ $i -le "
            + lines
            + " ]; do printf 'line %d"
            + LINE_TAIL_PRINTF
            + "' $i; i=$((i+1)); done"
            + "; head -c 100000 /dev/zero | tr '\\0' x; echo"
            + "; echo to stderr >&2"
            + "; cat hello.txt"
            + "; cat "
            + jobDir
            + "/files/data.txt";
    var task =
        prepare(
            job,
            script,
            jobDir,
            TestJobs.tar(dir, "hello.txt", hello),
            List.of(archive),
            List.of(new FileArchiveMapping("archive-1", jobDir + "/files/data.txt")));

    var target = start(task);
    var exit = logs.follow(new FollowJob(target));

    assertEquals(JobTerminationReason.DONE_BY_RUNNER, exit.reason(), exit::toString);
    assertEquals(0, exit.exitStatus(), exit::toString);
    var expected = new ByteArrayOutputStream();
    for (int i = 1; i <= lines; i++) {
      expected.writeBytes(("line " + i).getBytes(StandardCharsets.US_ASCII));
      expected.writeBytes(LINE_TAIL);
    }
    expected.writeBytes(("x".repeat(100_000) + "\n").getBytes(StandardCharsets.US_ASCII));
    expected.writeBytes("to stderr\n".getBytes(StandardCharsets.US_ASCII));
    expected.writeBytes(hello);
    expected.writeBytes(data);
    var jobLog = JobLog.of(job, LogProducer.JOB);
    var stored = readAll(jobLog);
    assertOutput(expected.toByteArray(), stored);
    assertEquals(stored.size(), store.count(jobLog));
    assertTrue(store.count(JobLog.of(job, LogProducer.RUNNER)) > 0, "the runner's log is stored");
    var newest = store.poll(jobLog, new LogQuery(null, null, true, null, 1)).events();
    assertEquals(stored.getLast(), newest.getFirst(), "descending starts at the newest event");

    assertTrue(shim.removeTask(new RemoveTask(task, "test over")).existed());
    assertFalse(shim.removeTask(new RemoveTask(task, "test over")).existed());
  }

  @Test
  void aTaskIsKilledAndRemovedWhereItsShimListensNow() throws Exception {
    var job = TestJobs.newJob("moved");
    var task = prepare(job, "sleep 60");
    start(task);
    // The task as placed on a shim that has since restarted on the port it listens on now.
    var placed =
        new TaskTarget(
            task.job(), TestJobs.instance(ShimUnderTest.freePort(), false), task.taskId());
    var asPlaced = new ShimActivitiesImpl(payloads, TIMINGS);
    assertThrows(
        ApplicationFailure.class, () -> asPlaced.removeTask(new RemoveTask(placed, "test over")));

    var followingTheShim =
        new ShimActivitiesImpl(
            payloads,
            TIMINGS,
            instance ->
                instance.instanceId().equals(task.instance().instanceId())
                    ? task.instance()
                    : instance);
    assertTrue(followingTheShim.killTask(new KillTask(placed, null, "test over")).wasRunning());
    assertTrue(followingTheShim.removeTask(new RemoveTask(placed, "test over")).existed());
    assertFalse(shim.removeTask(new RemoveTask(task, "test over")).existed());
  }

  /** Every event of the log, oldest first, paging as the CLI does. */
  List<LogEvent> readAll(JobLog log) {
    var events = new ArrayList<LogEvent>();
    var query = LogQuery.first(1000);
    while (true) {
      LogPage page = store.poll(log, query);
      events.addAll(page.events());
      if (page.nextToken() == null) {
        return events;
      }
      query = query.next(page);
    }
  }

  /** The events hold exactly these bytes, in order, with strictly increasing timestamps. */
  static void assertOutput(byte[] expected, List<LogEvent> events) {
    var actual = new ByteArrayOutputStream();
    long last = Long.MIN_VALUE;
    for (LogEvent event : events) {
      assertTrue(event.timestamp() > last, "timestamps increase: " + event + " after " + last);
      last = event.timestamp();
      actual.writeBytes(event.message());
    }
    byte[] bytes = actual.toByteArray();
    if (!java.util.Arrays.equals(expected, bytes)) {
      int at = java.util.Arrays.mismatch(expected, bytes);
      String around =
          new String(
              bytes,
              Math.max(0, at - 80),
              Math.min(bytes.length, at + 80) - Math.max(0, at - 80),
              StandardCharsets.UTF_8);
      throw new AssertionError(
          "the stored output differs at byte "
              + at
              + " (expected "
              + expected.length
              + " bytes, stored "
              + bytes.length
              + "), stored around it: "
              + around);
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  static void deleteTree(Path root) throws IOException {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
