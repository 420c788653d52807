package ai.dstack.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.dstack.core.agents.runner.JobState;
import ai.dstack.core.agents.runner.JobStateEvent;
import ai.dstack.core.agents.runner.LogEvent;
import ai.dstack.core.agents.runner.PullResponse;
import ai.dstack.core.agents.runner.RunnerApi;
import ai.dstack.core.agents.runner.TerminationReason;
import ai.dstack.core.agents.shim.TaskInfoResponse;
import ai.dstack.core.agents.shim.TaskStatus;
import ai.dstack.core.agents.shim.TaskSubmitRequest;
import ai.dstack.core.json.Json;
import ai.dstack.shim.testing.Leftovers;
import ai.dstack.shim.testing.RunnerJar;
import ai.dstack.shim.testing.ShimProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shim runs the real runner, and the runner runs jobs: a test plays dstack's server, submits a
 * task to the shim, then a job to the runner, and follows it through the runner's pull until the
 * runner has handed over everything and exits.
 */
abstract class RunnerEndToEndContract {
  static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path temp;
  ShimProcess shim;

  abstract String mode();

  abstract String image();

  /** A directory the job may work in, as the runner sees it. */
  abstract String jobDir() throws IOException;

  @BeforeEach
  void startShim() throws Exception {
    shim =
        ShimProcess.start(
            Files.createDirectories(temp.resolve("home")),
            "--mode",
            mode(),
            "--runner-jar",
            RunnerJar.require().toString());
  }

  @AfterEach
  void stopShim() {
    try {
      if (shim != null) {
        shim.close();
      }
    } finally {
      Leftovers.remove(temp.resolve("home"));
    }
  }

  @Test
  void anEchoJobsOutputAndExitStatusComeBackThroughTheRunner() throws Exception {
    Followed job = runJob(List.of("echo hello from the job", "echo on stderr >&2"));
    assertEquals(JobState.DONE, job.last().state(), job::toString);
    assertEquals(0, job.last().exitStatus(), job::toString);
    assertTrue(job.log().contains("hello from the job\n"), job::toString);
    assertTrue(job.log().contains("on stderr\n"), job::toString);
    // the runner exits once everything is pulled, which ends the task
    TaskInfoResponse task = shim.awaitStatus(job.taskId(), TaskStatus.TERMINATED, TIMEOUT);
    assertEquals("done_by_runner", task.terminationReason(), task::toString);
  }

  @Test
  void aFailingCommandsExitStatusComesBackThroughTheRunner() throws Exception {
    Followed job = runJob(List.of("echo about to fail", "exit 3"));
    assertEquals(JobState.FAILED, job.last().state(), job::toString);
    assertEquals(3, job.last().exitStatus(), job::toString);
    assertTrue(job.log().contains("about to fail\n"), job::toString);
    TaskInfoResponse task = shim.awaitStatus(job.taskId(), TaskStatus.TERMINATED, TIMEOUT);
    assertEquals(TaskStatus.TERMINATED, task.status());
  }

  @Test
  void terminateStopsTheRunnerAndItsJobWithinTheTimeout() throws Exception {
    int port = ShimProcess.freePort();
    String taskId = startTask(port);
    submitAndRun(port, List.of("echo sleeping", "sleep 300"));
    awaitLog(port, "sleeping");

    long start = System.nanoTime();
    TaskInfoResponse terminated = shim.terminate(taskId, 5);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertEquals(TaskStatus.TERMINATED, terminated.status());
    assertTrue(
        took.compareTo(Duration.ofSeconds(15)) < 0, "terminated within its timeout: " + took);
    assertEquals(-1, status(port, "GET", RunnerApi.HEALTHCHECK, null), "the runner is gone");
    assertFalse(sleepLeft(), "the job's sleep is gone");
  }

  @Test
  void aJobRunsToItsEndWhenItsShimIsKilledAndANewOneTakesItOver() throws Exception {
    int port = ShimProcess.freePort();
    String taskId = startTask(port);
    submitAndRun(port, List.of("for i in $(seq 1 30); do echo line $i; sleep 0.1; done"));
    awaitLog(port, "line 3");

    shim.process().destroyForcibly().waitFor();
    shim =
        ShimProcess.start(
            temp.resolve("home"), "--mode", mode(), "--runner-jar", RunnerJar.require().toString());
    assertEquals(TaskStatus.RUNNING, shim.task(taskId).status());
    Followed job = follow(taskId, port);

    assertEquals(JobState.DONE, job.last().state(), job::toString);
    for (int i = 1; i <= 30; i++) {
      assertTrue(job.log().contains("line " + i + "\n"), job::toString);
    }
    TaskInfoResponse task = shim.awaitStatus(taskId, TaskStatus.TERMINATED, TIMEOUT);
    assertEquals("done_by_runner", task.terminationReason(), task::toString);
    shim.remove(taskId);
  }

  @Test
  void aStoppedJobGetsTermThenIsKilledAfterItsStopDuration() throws Exception {
    int port = ShimProcess.freePort();
    String taskId = startTask(port);
    submitAndRun(
        port,
        List.of(
            "trap 'echo got TERM, ignoring it' TERM",
            "echo started",
            "while true; do sleep 0.2; done"),
        Map.of("stop_duration", 2));
    awaitLog(port, "started");

    long start = System.nanoTime();
    assertEquals(200, status(port, "POST", RunnerApi.STOP, null), "stop");
    Followed job = follow(taskId, port);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertTrue(took.compareTo(Duration.ofMillis(1900)) > 0, "waited the stop duration: " + took);
    assertTrue(took.compareTo(Duration.ofSeconds(15)) < 0, "then killed: " + took);
    assertTrue(job.log().contains("got TERM, ignoring it\n"), job::toString);
    assertEquals(JobState.TERMINATED, job.last().state(), job::toString);
    assertEquals(TerminationReason.TERMINATED_BY_USER, job.last().terminationReason());
  }

  @Test
  void aJobOverItsMaxDurationEndsWithMaxDurationExceeded() throws Exception {
    int port = ShimProcess.freePort();
    String taskId = startTask(port);
    submitAndRun(
        port, List.of("echo started", "sleep 300"), Map.of("max_duration", 1, "stop_duration", 1));
    Followed job = follow(taskId, port);

    assertEquals("started\n", job.log(), job::toString);
    assertEquals(JobState.TERMINATED, job.last().state(), job::toString);
    assertEquals(TerminationReason.MAX_DURATION_EXCEEDED, job.last().terminationReason());
    assertFalse(sleepLeft(), "the job's sleep is gone");
  }

  /** Whether a {@code sleep 300} of a job is still running on this host. */
  static boolean sleepLeft() {
    return ProcessHandle.allProcesses()
        .anyMatch(p -> p.info().commandLine().orElse("").equals("sleep 300"));
  }

  /** Starts a task whose runner listens on {@code port}; returns the task id once it answers. */
  String startTask(int port) {
    String id = UUID.randomUUID().toString();
    shim.submit(TaskSubmitRequest.of(id, "e2e", image(), port));
    shim.awaitStatus(id, TaskStatus.RUNNING, TIMEOUT);
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (status(port, "GET", RunnerApi.HEALTHCHECK, null) != 200) {
      if (System.nanoTime() > deadline) {
        fail("the runner did not answer on " + port + ": " + shim.task(id) + "\n" + shim.log());
      }
      ShimProcess.sleep(50);
    }
    return id;
  }

  Followed runJob(List<String> commands) throws Exception {
    int port = ShimProcess.freePort();
    String taskId = startTask(port);
    submitAndRun(port, commands);
    return follow(taskId, port);
  }

  void submitAndRun(int port, List<String> commands) throws IOException {
    submitAndRun(port, commands, Map.of());
  }

  /**
   * Submits and runs a job; {@code extraSpec} adds job spec fields (max_duration, ...) or replaces
   * the working dir and the repo dir (null for none).
   */
  void submitAndRun(int port, List<String> commands, Map<String, Object> extraSpec)
      throws IOException {
    String jobDir = jobDir();
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("job_num", 0);
    spec.put("jobs_per_replica", 1);
    // as dstack's server sends them: the whole argv, the commands joined for the shell
    spec.put("commands", List.of("/bin/sh", "-c", String.join(" && ", commands)));
    spec.put("env", Map.of());
    spec.put("working_dir", jobDir + "/work");
    spec.put("repo_dir", jobDir + "/repo");
    spec.putAll(extraSpec);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(
        "run",
        Map.of(
            "id",
            UUID.randomUUID().toString(),
            "run_spec",
            Map.of(
                "run_name",
                "e2e-run",
                "repo_id",
                "repo-1",
                "repo_data",
                Map.of("repo_type", "virtual"),
                "configuration",
                Map.of("type", "task"))));
    body.put("job_spec", spec);
    body.put("job_submission", Map.of("id", UUID.randomUUID().toString()));
    body.put("secrets", Map.of());
    assertEquals(200, status(port, "POST", RunnerApi.SUBMIT, Json.write(body)), "submit");
    assertEquals(200, status(port, "POST", RunnerApi.RUN, null), "run");
  }

  /** Pulls as dstack's server does until the runner says it has no more. */
  Followed follow(String taskId, int port) throws Exception {
    List<JobStateEvent> states = new ArrayList<>();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    long cursor = 0;
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      PullResponse pulled = pull(port, cursor);
      states.addAll(pulled.jobStates());
      for (LogEvent event : pulled.jobLogs()) {
        log.writeBytes(event.message());
      }
      cursor = pulled.lastUpdated();
      if (!pulled.hasMore()) {
        assertFalse(states.isEmpty(), "the runner reported no state");
        return new Followed(taskId, states, log.toString(StandardCharsets.UTF_8));
      }
      if (System.nanoTime() > deadline) {
        fail("the job did not end: " + states + "\n" + log);
      }
      ShimProcess.sleep(50);
    }
  }

  void awaitLog(int port, String text) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    StringBuilder log = new StringBuilder();
    while (!log.toString().contains(text)) {
      if (System.nanoTime() > deadline) {
        fail("no \"" + text + "\" in the job log: " + log);
      }
      for (LogEvent event : pull(port, 0).jobLogs()) {
        log.append(new String(event.message(), StandardCharsets.UTF_8));
      }
      ShimProcess.sleep(50);
    }
  }

  static PullResponse pull(int port, long timestamp) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:%d%s?%s=%d"
                            .formatted(port, RunnerApi.PULL, RunnerApi.TIMESTAMP_PARAM, timestamp)))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return Json.MAPPER.readValue(response.body(), PullResponse.class);
  }

  /** The status of a runner request, -1 when the runner does not answer. */
  static int status(int port, String method, String path, String json) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/json")
              .method(
                  method,
                  json == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(json))
              .build();
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** A followed job: its states and log. */
  record Followed(String taskId, List<JobStateEvent> states, String log) {
    JobStateEvent last() {
      return states.getLast();
    }
  }
}
