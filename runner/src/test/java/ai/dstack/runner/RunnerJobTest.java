package ai.dstack.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.dstack.core.agents.runner.ErrorResponse;
import ai.dstack.core.agents.runner.JobInfoResponse;
import ai.dstack.core.agents.runner.JobState;
import ai.dstack.core.agents.runner.TerminationReason;
import ai.dstack.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The runner runs jobs as dstack's does: each test starts a real runner process. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RunnerJobTest {
  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void runsEchoAndReportsDoneWithExitStatusZero() throws Exception {
    try (var runner = RunnerProcess.start(dir)) {
      runner.submit(runner.shellJob(List.of("echo hello"), Map.of()));
      var run = runner.post("/api/run");
      assertEquals(200, run.statusCode(), run.body());
      var info = Json.MAPPER.readValue(run.body(), JobInfoResponse.class);
      assertEquals(runner.work.toString(), info.workingDir());

      var pulled = runner.pullToEnd(JOB_TIMEOUT);

      assertEquals("hello\n", pulled.jobLogText());
      assertEquals(
          List.of(JobState.RUNNING, JobState.DONE),
          pulled.states.stream().map(s -> s.state()).toList());
      assertEquals(0, pulled.last().exitStatus());
      assertEquals(TerminationReason.DONE_BY_RUNNER, pulled.last().terminationReason());
      assertTrue(
          pulled.runnerLog.toString().contains("Job state changed: done"), pulled.toString());
      assertTrue(
          runner.process.waitFor(10, TimeUnit.SECONDS), "the runner exits after the last pull");
      assertEquals(0, runner.process.exitValue());
      assertEquals("hello\n", Files.readString(runner.home.resolve("logs/job.log")));
    }
  }

  @Test
  void failingCommandReportsContainerExitedWithErrorAndItsExitStatus() throws Exception {
    try (var runner = RunnerProcess.start(dir)) {
      runner.submitAndRun(
          runner.shellJob(List.of("echo before", "exit 3", "echo never"), Map.of()));

      var pulled = runner.pullToEnd(JOB_TIMEOUT);

      assertEquals("before\n", pulled.jobLogText());
      assertEquals(JobState.FAILED, pulled.last().state());
      assertEquals(
          TerminationReason.CONTAINER_EXITED_WITH_ERROR, pulled.last().terminationReason());
      assertEquals(3, pulled.last().exitStatus());
    }
  }

  @Test
  void runsDstacksArgvAsIsWhenNoShellIsGiven() throws Exception {
    try (var runner = RunnerProcess.start(dir)) {
      var spec = runner.shellJob(List.of("/bin/sh", "-c", "echo argv $0"), Map.of());
      spec.remove("shell");
      runner.submitAndRun(spec);

      var pulled = runner.pullToEnd(JOB_TIMEOUT);

      assertEquals("argv /bin/sh\n", pulled.jobLogText());
      assertEquals(JobState.DONE, pulled.last().state());
    }
  }

  @Test
  void runsCommandsWithBashWhenAsked() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash is installed");
    try (var runner = RunnerProcess.start(dir)) {
      runner.submitAndRun(
          runner.shellJob(
              List.of("[[ -n $BASH_VERSION ]] && echo bash", "echo $0"), Map.of("shell", "bash")));

      var pulled = runner.pullToEnd(JOB_TIMEOUT);

      assertEquals("bash\n/bin/bash\n", pulled.jobLogText());
    }
  }

  @Test
  void mergesStderrIntoTheJobLog() throws Exception {
    try (var runner = RunnerProcess.start(dir)) {
      runner.submitAndRun(
          runner.shellJob(List.of("echo out", "echo err >&2", "echo out2"), Map.of()));

      var pulled = runner.pullToEnd(JOB_TIMEOUT);

      assertEquals("out\nerr\nout2\n", pulled.jobLogText());
    }
  }

  @Test
  void jobSeesDstackVariablesItsEnvAndSecrets() throws Exception {
    try (var runner = RunnerProcess.start(dir)) {
      var spec =
          runner.shellJob(
              List.of(
                  "env | grep -E '^(DSTACK_|MY_|A_SECRET|HOME=)' | sort",
                  "cat \"$DSTACK_MPI_HOSTFILE\"",
                  "pwd"),
              Map.of("job_num", 1, "jobs_per_replica", 2, "env", Map.of("MY_VAR", "my value")));
      var body = RunnerProcess.submitBody(spec);
      body.put("secrets", Map.of("A_SECRET", "s3cr3t"));
      body.put(
          "cluster_info",
          Map.of(
              "job_ips",
              List.of("10.0.0.1", "10.0.0.2"),
              "master_job_ip",
              "10.0.0.1",
              "gpus_per_job",
              4,
              "gpus_per_node",
              List.of(4, 4)));
      assertEquals(200, runner.postJson("/api/submit", body).statusCode());
      runner.run();

      var pulled = runner.pullToEnd(JOB_TIMEOUT);

      Path hostfile = runner.home.resolve("mpi/hostfile");
      String log = pulled.jobLogText();
      for (String line :
          List.of(
              "DSTACK_RUN_NAME=happy-cat-1",
              "DSTACK_RUN_ID=0f5b4a1e-1111-4c3b-9d2e-000000000001",
              "DSTACK_JOB_ID=0f5b4a1e-2222-4c3b-9d2e-000000000002",
              "DSTACK_REPO_ID=repo-1",
              "DSTACK_REPO_DIR=" + runner.dir.resolve("repo"),
              "DSTACK_WORKING_DIR=" + runner.work,
              "DSTACK_NODES_NUM=2",
              "DSTACK_NODE_RANK=1",
              "DSTACK_NODES_IPS=10.0.0.1",
              "DSTACK_MASTER_NODE_IP=10.0.0.1",
              "DSTACK_GPUS_NUM=8",
              "DSTACK_GPUS_PER_NODE=4",
              "DSTACK_MPI_HOSTFILE=" + hostfile,
              "MY_VAR=my value",
              "A_SECRET=s3cr3t",
              "10.0.0.1 slots=4",
              "10.0.0.2 slots=4",
              runner.work.toString())) {
        assertTrue(log.contains(line + "\n"), "missing " + line + " in\n" + log);
      }
      assertEquals("10.0.0.1 slots=4\n10.0.0.2 slots=4\n", Files.readString(hostfile));
    }
  }

  @Test
  void linesPrintedRightBeforeExitAreInTheLastPull() throws Exception {
    try (var runner = RunnerProcess.start(dir)) {
      // Enough output to need several pulls, then the last line and the exit at once.
      runner.submitAndRun(
          runner.shellJob(
              List.of(
                  "i=0; while [ $i -lt 200000 ]; do echo \"line $i\"; i=$((i+1)); done",
                  "printf 'the very last line, no newline'",
                  "exit 7"),
              Map.of()));

      var pulled = runner.pullToEnd(JOB_TIMEOUT);

      String log = pulled.jobLogText();
      String[] lines = log.split("\n", -1);
      assertEquals(200_001, lines.length, "every line, in order");
      for (int i = 0; i < 200_000; i += 9_999) {
        assertEquals("line " + i, lines[i]);
      }
      assertEquals("the very last line, no newline", lines[200_000]);
      assertEquals(7, pulled.last().exitStatus());
      assertTrue(pulled.pulls > 1);
    }
  }

  @Test
  void stopTerminatesTheProcessGroupWithSigterm() throws Exception {
    try (var runner = RunnerProcess.start(dir)) {
      runner.submitAndRun(
          runner.shellJob(
              List.of("echo started", "sleep 600 & sleep 600"), Map.of("stop_duration", 30)));
      awaitRunningWithLog(runner, "started");

      long stoppedAt = System.nanoTime();
      assertEquals(200, runner.post("/api/stop").statusCode());
      var rest = runner.pullToEnd(JOB_TIMEOUT);
      Duration took = Duration.ofNanos(System.nanoTime() - stoppedAt);

      assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "SIGTERM ends sleep at once: " + took);
      assertEquals(JobState.TERMINATED, rest.last().state());
      assertEquals(TerminationReason.TERMINATED_BY_USER, rest.last().terminationReason());
      assertNoProcessLeft("sleep 600");
    }
  }

  @Test
  void stopsGracefullyThenKillsAfterStopDuration() throws Exception {
    try (var runner = RunnerProcess.start(dir)) {
      runner.submitAndRun(
          runner.shellJob(
              List.of(
                  "trap 'echo got TERM, ignoring it' TERM",
                  "echo started",
                  "while true; do sleep 0.2; done"),
              Map.of("stop_duration", 2)));
      awaitRunningWithLog(runner, "started");

      long stoppedAt = System.nanoTime();
      runner.post("/api/stop");
      var rest = runner.pullToEnd(JOB_TIMEOUT);
      Duration took = Duration.ofNanos(System.nanoTime() - stoppedAt);

      assertTrue(took.compareTo(Duration.ofMillis(1900)) > 0, "waited the stop duration: " + took);
      assertTrue(took.compareTo(Duration.ofSeconds(8)) < 0, "then killed: " + took);
      assertTrue(rest.jobLogText().contains("got TERM, ignoring it"), rest.toString());
      assertEquals(JobState.TERMINATED, rest.last().state());
      assertEquals(TerminationReason.TERMINATED_BY_USER, rest.last().terminationReason());
    }
  }

  @Test
  void stopWhileTheShellStartsReachesTheProgramItExecs() throws Exception {
    var rest = stopWhileBashReadsItsRcFile("sleep 600");

    assertTrue(rest.runnerLog.toString().contains("SIGTERM to pid"), rest.toString());
    assertNoProcessLeft("sleep 600");
  }

  @Test
  void stopWhileTheShellStartsReachesTheCommandsItStartsAfterwards() throws Exception {
    var rest = stopWhileBashReadsItsRcFile("echo commands && sleep 600 && echo never");

    assertTrue(rest.jobLogText().contains("commands"), rest.toString());
    assertFalse(rest.jobLogText().contains("never"), rest.toString());
    assertTrue(rest.runnerLog.toString().contains("SIGTERM to pid"), rest.toString());
    assertNoProcessLeft("sleep 600");
  }

  @Test
  void aStopThatAProcessTookIsNotPassedToTheCommandsAfterIt() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash is installed");
    try (var runner = RunnerProcess.start(dir)) {
      // As dstack's server sends it: bash -i, which ignores SIGTERM, so the next command runs in
      // the grace period, as with dstack's runner.
      var spec =
          runner.shellJob(
              List.of(
                  "/bin/bash",
                  "-i",
                  "-c",
                  "echo started && sleep 30; sleep 0.5 && echo the next command ran"),
              Map.of("stop_duration", 30));
      spec.remove("shell");
      runner.submitAndRun(spec);
      awaitRunningWithLog(runner, "started");
      Thread.sleep(300); // bash has started sleep 30

      runner.post("/api/stop");
      var rest = runner.pullToEnd(JOB_TIMEOUT);

      assertTrue(rest.jobLogText().contains("the next command ran"), rest.toString());
      assertFalse(rest.runnerLog.toString().contains("SIGTERM to pid"), rest.toString());
      assertEquals(JobState.TERMINATED, rest.last().state());
    }
  }

  /**
   * Runs {@code script} with an interactive bash whose rc file takes 3 s, and stops the job while
   * bash reads it: bash ignores SIGTERM then, and is the job's only process. The stop must still
   * reach what bash runs next, long before {@code stop_duration} (60 s) ends.
   */
  private RunnerProcess.Pulled stopWhileBashReadsItsRcFile(String script) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash is installed");
    Path fifo = dir.resolve("never-written");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    Path rcFile = dir.resolve("slow.bashrc");
    // A wait without a child process: read times out on a FIFO no one writes.
    Files.writeString(
        rcFile, "echo reading rc file\nexec 9<>'" + fifo + "'\nread -t 3 -u 9\nexec 9>&-\n");
    try (var runner = RunnerProcess.start(dir)) {
      var spec =
          runner.shellJob(
              List.of("/bin/bash", "--rcfile", rcFile.toString(), "-i", "-c", script),
              Map.of("stop_duration", 60));
      spec.remove("shell");
      runner.submitAndRun(spec);
      awaitRunningWithLog(runner, "reading rc file");

      long stoppedAt = System.nanoTime();
      assertEquals(200, runner.post("/api/stop").statusCode());
      var rest = runner.pullToEnd(JOB_TIMEOUT);
      Duration took = Duration.ofNanos(System.nanoTime() - stoppedAt);

      assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "not the stop duration: " + took);
      assertTrue(took.compareTo(Duration.ofSeconds(2)) > 0, "the rc file was read out: " + took);
      assertEquals(JobState.TERMINATED, rest.last().state());
      assertEquals(TerminationReason.TERMINATED_BY_USER, rest.last().terminationReason());
      return rest;
    }
  }

  /**
   * One process ignores SIGTERM all along here: a runner that went on passing the stop to new
   * processes while such a process lives would stop the clean-up too.
   */
  @Test
  void stopLeavesWhatAProcessThatTookItStartsAfterwards() throws Exception {
    try (var runner = RunnerProcess.start(dir)) {
      runner.submitAndRun(
          runner.shellJob(
              List.of(
                  "trap 'sleep 1 && echo cleaned up' TERM;"
                      + " (trap '' TERM; exec sleep 601) &"
                      + " echo started; sleep 600 & wait"),
              Map.of("stop_duration", 30)));
      awaitRunningWithLog(runner, "started");

      runner.post("/api/stop");
      var rest = runner.pullToEnd(JOB_TIMEOUT);

      assertTrue(rest.jobLogText().contains("cleaned up"), rest.toString());
      assertFalse(rest.runnerLog.toString().contains("SIGTERM to pid"), rest.toString());
      assertEquals(JobState.TERMINATED, rest.last().state());
      assertNoProcessLeft("sleep 600");
    }
  }

  @Test
  void aRunnerShutDownFromOutsideEndsItsJobFailedWithExecutorError() throws Exception {
    try (var runner = RunnerProcess.start(dir)) {
      runner.submitAndRun(
          runner.shellJob(List.of("echo started", "sleep 600"), Map.of("stop_duration", 30)));
      awaitRunningWithLog(runner, "started");

      runner.process.destroy(); // SIGTERM, as a shim's clean-up or the host's shutdown sends it
      var rest = runner.pullToEnd(JOB_TIMEOUT);

      assertEquals(JobState.FAILED, rest.last().state(), rest.toString());
      assertEquals(TerminationReason.EXECUTOR_ERROR, rest.last().terminationReason());
      assertTrue(
          rest.last().terminationMessage().contains("runner was shut down"), rest.toString());
      assertTrue(runner.process.waitFor(10, TimeUnit.SECONDS), "the runner exits after the pull");
      assertNoProcessLeft("sleep 600");
    }
  }

  @Test
  void maxDurationExceededTerminatesTheJob() throws Exception {
    try (var runner = RunnerProcess.start(dir)) {
      runner.submitAndRun(
          runner.shellJob(
              List.of("echo started", "sleep 600"), Map.of("max_duration", 1, "stop_duration", 1)));

      var pulled = runner.pullToEnd(JOB_TIMEOUT);

      assertEquals("started\n", pulled.jobLogText());
      assertEquals(JobState.TERMINATED, pulled.last().state());
      assertEquals(TerminationReason.MAX_DURATION_EXCEEDED, pulled.last().terminationReason());
      assertEquals("Max duration exceeded", pulled.last().terminationMessage());
      assertNull(pulled.last().exitStatus());
    }
  }

  @Test
  void logQuotaExceededFailsTheJob() throws Exception {
    try (var runner = RunnerProcess.start(dir)) {
      var body =
          RunnerProcess.submitBody(
              runner.shellJob(
                  List.of("echo small", "sleep 0.5", "yes | head -c 100000", "sleep 600"),
                  Map.of()));
      body.put("log_quota_hour", 1000);
      assertEquals(200, runner.postJson("/api/submit", body).statusCode());
      runner.run();

      var pulled = runner.pullToEnd(JOB_TIMEOUT);

      assertTrue(pulled.jobLogText().startsWith("small\n"), pulled.toString());
      assertTrue(pulled.jobLog.size() <= 1000);
      assertEquals(JobState.FAILED, pulled.last().state());
      assertEquals(TerminationReason.LOG_QUOTA_EXCEEDED, pulled.last().terminationReason());
    }
  }

  @Test
  void unknownCommandIsAnExecutorError() throws Exception {
    try (var runner = RunnerProcess.start(dir)) {
      var spec = runner.shellJob(List.of("no-such-command-anywhere", "x"), Map.of());
      spec.remove("shell");
      runner.submitAndRun(spec);

      var pulled = runner.pullToEnd(JOB_TIMEOUT);

      assertEquals(List.of(JobState.FAILED), pulled.states.stream().map(s -> s.state()).toList());
      assertEquals(TerminationReason.EXECUTOR_ERROR, pulled.last().terminationReason());
      assertEquals(
          "Command not found: no-such-command-anywhere", pulled.last().terminationMessage());
    }
  }

  @Test
  void unknownUserIsAnExecutorErrorReportedByRun() throws Exception {
    try (var runner = RunnerProcess.start(dir)) {
      runner.submit(
          runner.shellJob(List.of("true"), Map.of("user", Map.of("username", "no-such-user-x"))));
      var run = runner.post("/api/run");
      assertEquals(200, run.statusCode());
      assertEquals("", run.body(), "no job info when the user cannot be resolved");

      var pulled = runner.pullToEnd(JOB_TIMEOUT);

      assertEquals(TerminationReason.EXECUTOR_ERROR, pulled.last().terminationReason());
      assertEquals(
          "Failed to set job user (no such user: no-such-user-x)",
          pulled.last().terminationMessage());
    }
  }

  @Test
  void runsAsTheJobUserWhenTheRunnerIsRoot() throws Exception {
    assumeTrue(JobUser.current().isRoot(), "the runner can switch users only as root");
    try (var runner = RunnerProcess.start(dir)) {
      runner.submit(
          runner.shellJob(
              List.of("id -u", "id -g"), Map.of("user", Map.of("uid", 65534, "gid", 65534))));
      var run = runner.post("/api/run");
      var info = Json.MAPPER.readValue(run.body(), JobInfoResponse.class);

      var pulled = runner.pullToEnd(JOB_TIMEOUT);

      assertEquals("65534\n65534\n", pulled.jobLogText(), pulled.toString());
      assertFalse(info.username().equals("root"));
    }
  }

  @Test
  void stopBeforeRunEndsTheRunnerWithTheJobTerminated() throws Exception {
    try (var runner = RunnerProcess.start(dir)) {
      runner.submit(runner.shellJob(List.of("echo never"), Map.of()));
      assertEquals(200, runner.post("/api/stop").statusCode());

      var pulled = runner.pullToEnd(JOB_TIMEOUT);

      assertEquals(JobState.TERMINATED, pulled.last().state());
      assertEquals("", pulled.jobLogText());
      assertTrue(runner.process.waitFor(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void submitsAgainBeforeRunButNotAfter() throws Exception {
    try (var runner = RunnerProcess.start(dir)) {
      var spec = runner.shellJob(List.of("sleep 600"), Map.of("stop_duration", 1));
      assertEquals(
          200, runner.postJson("/api/submit", RunnerProcess.submitBody(spec)).statusCode());
      assertEquals(
          200, runner.postJson("/api/submit", RunnerProcess.submitBody(spec)).statusCode());
      assertEquals(200, runner.post("/api/run").statusCode());

      var again = runner.postJson("/api/submit", RunnerProcess.submitBody(spec));
      var runAgain = runner.post("/api/run");

      assertEquals(409, again.statusCode());
      assertTrue(
          Json.MAPPER
              .readValue(again.body(), ErrorResponse.class)
              .message()
              .startsWith("the job was already run"),
          again.body());
      assertEquals(409, runAgain.statusCode());
      runner.post("/api/stop");
    }
  }

  /** Waits for the job to run and print {@code text}. */
  private static void awaitRunningWithLog(RunnerProcess runner, String text) throws Exception {
    waitForLog(
        runner, runner.pullUntil(JobState.RUNNING, new RunnerProcess.Pulled(), JOB_TIMEOUT), text);
  }

  private static void waitForLog(RunnerProcess runner, RunnerProcess.Pulled pulled, String text)
      throws Exception {
    long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
    while (!pulled.jobLogText().contains(text)) {
      assertTrue(System.nanoTime() < deadline, "no '" + text + "' in " + pulled);
      pulled.add(runner.pull(pulled.cursor));
      Thread.sleep(25);
    }
  }

  private static void assertNoProcessLeft(String commandLine) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      boolean left =
          ProcessHandle.allProcesses()
              .filter(p -> p.isAlive())
              .anyMatch(
                  p -> p.info().commandLine().orElse("").endsWith(commandLine) && !isZombie(p));
      if (!left) {
        return;
      }
      assertTrue(System.nanoTime() < deadline, "a '" + commandLine + "' process outlived the job");
      Thread.sleep(100);
    }
  }

  private static boolean isZombie(ProcessHandle process) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (Exception e) {
      return true;
    }
  }
}
