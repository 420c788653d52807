package ai.dstack.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.agents.shim.ShimApi;
import ai.dstack.core.agents.shim.TaskInfoResponse;
import ai.dstack.core.agents.shim.TaskStatus;
import ai.dstack.core.agents.shim.TaskSubmitRequest;
import ai.dstack.core.json.Json;
import ai.dstack.shim.testing.FakeRunnerJar;
import ai.dstack.shim.testing.Leftovers;
import ai.dstack.shim.testing.ShimProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task's life through the real shim process, with a stand-in runner, the same in every mode: the
 * runner comes up on its port, its exit status becomes the termination reason, terminate stops it
 * within its timeout, remove cleans up, and a new shim removes what an old one left.
 */
abstract class TaskLifecycleContract {
  static final Duration START = Duration.ofSeconds(60);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path temp;
  Path home;
  Path runnerJar;
  ShimProcess shim;

  /** {@code docker} or {@code process}. */
  abstract String mode();

  /** The image tasks name (unused in process mode). */
  abstract String image();

  /** Whether anything of the task (container or process) is left on the host. */
  abstract boolean workloadLeft(String taskId) throws Exception;

  @BeforeEach
  void startShim() throws Exception {
    home = Files.createDirectories(temp.resolve("home"));
    runnerJar = FakeRunnerJar.build(temp);
    shim = startShim(home);
  }

  ShimProcess startShim(Path shimHome) throws IOException {
    return ShimProcess.start(shimHome, "--mode", mode(), "--runner-jar", runnerJar.toString());
  }

  @AfterEach
  void stopShim() {
    try {
      if (shim != null) {
        shim.close();
      }
    } finally {
      Leftovers.remove(home);
    }
  }

  TaskSubmitRequest task(int runnerPort) {
    return TaskSubmitRequest.of(UUID.randomUUID().toString(), "test", image(), runnerPort);
  }

  /** Submits and waits until the runner answers on its port. */
  TaskInfoResponse startTask(TaskSubmitRequest request) {
    TaskInfoResponse submitted = shim.submit(request);
    assertEquals(TaskStatus.PENDING, submitted.status());
    TaskInfoResponse running = shim.awaitStatus(request.id(), TaskStatus.RUNNING, START);
    awaitRunner(request.runnerPort());
    return running;
  }

  void awaitRunner(int port) {
    long deadline = System.nanoTime() + START.toNanos();
    while (!runnerAnswers(port)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the runner never answered on " + port + "\n" + shim.log());
      }
      ShimProcess.sleep(50);
    }
  }

  static boolean runnerAnswers(int port) {
    return runner(port, "GET", "/api/healthcheck") == 200;
  }

  static int runner(int port, String method, String path) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(5))
              .method(method, HttpRequest.BodyPublishers.noBody())
              .build();
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  @Test
  void aRunnerThatExitsWithZeroIsDoneByRunner() throws Exception {
    TaskSubmitRequest request = task(ShimProcess.freePort());
    TaskInfoResponse running = startTask(request);
    assertFalse(running.containerId().isEmpty(), running::toString);
    assertEquals(200, runner(request.runnerPort(), "POST", "/exit/0"));

    TaskInfoResponse done = shim.awaitStatus(request.id(), TaskStatus.TERMINATED, START);
    assertEquals("done_by_runner", done.terminationReason(), done::toString);
    assertEquals(1, shim.get(ShimApi.TASKS).body().split("\"id\"").length - 1);

    shim.remove(request.id());
    assertEquals(404, shim.get(ShimApi.task(request.id())).status());
    assertFalse(workloadLeft(request.id()), "the workload is removed");
  }

  @Test
  void aRunnerThatFailsReportsItsExitStatusAndLastOutput() throws Exception {
    TaskSubmitRequest request = task(ShimProcess.freePort());
    startTask(request);
    assertEquals(200, runner(request.runnerPort(), "POST", "/exit/3"));

    TaskInfoResponse failed = shim.awaitStatus(request.id(), TaskStatus.TERMINATED, START);
    assertEquals("container_exited_with_error", failed.terminationReason());
    assertTrue(
        failed.terminationMessage().startsWith("the runner exited with status 3"),
        failed.terminationMessage());
    assertTrue(
        failed.terminationMessage().contains("fake runner exits with 3"),
        failed.terminationMessage());
  }

  @Test
  void terminateKillsARunnerThatIgnoresSigtermAfterTheTimeout() throws Exception {
    TaskSubmitRequest request = task(ShimProcess.freePort());
    startTask(request);
    assertEquals(200, runner(request.runnerPort(), "POST", "/ignore-term"));

    long start = System.nanoTime();
    TaskInfoResponse terminated = shim.terminate(request.id(), 2);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertEquals(TaskStatus.TERMINATED, terminated.status());
    assertEquals("terminated_by_user", terminated.terminationReason());
    assertTrue(took.compareTo(Duration.ofMillis(1900)) >= 0, "waited for the timeout: " + took);
    assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "killed after the timeout: " + took);
    assertFalse(runnerAnswers(request.runnerPort()), "the runner is gone");
    // the exit that follows the kill does not change the reason the server gave
    ShimProcess.sleep(500);
    assertEquals("terminated_by_user", shim.task(request.id()).terminationReason());
    shim.remove(request.id());
    assertFalse(workloadLeft(request.id()));
  }

  @Test
  void terminateStopsAWillingRunnerAtOnce() throws Exception {
    TaskSubmitRequest request = task(ShimProcess.freePort());
    startTask(request);
    long start = System.nanoTime();
    shim.terminate(request.id(), 30);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "SIGTERM was enough: " + took);
    assertFalse(runnerAnswers(request.runnerPort()));
  }

  @Test
  void aRunningTaskIsNotRemovedAndTerminateTwiceKeepsTheFirstReason() throws Exception {
    TaskSubmitRequest request = task(ShimProcess.freePort());
    startTask(request);
    ShimProcess.Answer refused = shim.post(ShimApi.removeTask(request.id()), "");
    assertEquals(409, refused.status());
    assertTrue(refused.body().contains("terminate it before removing it"), refused.body());

    shim.terminate(request.id(), 5);
    ShimProcess.Answer again =
        shim.post(
            ShimApi.terminateTask(request.id()),
            "{\"termination_reason\":\"terminated_by_server\",\"termination_message\":\"\",\"timeout\":1}");
    assertEquals(200, again.status(), again.body());
    assertEquals("terminated_by_user", shim.task(request.id()).terminationReason());
  }

  @Test
  void aNewShimTakesOverTheRunningTasksAKilledShimLeftAndRemovesTheRest() throws Exception {
    TaskSubmitRequest kept = task(ShimProcess.freePort());
    TaskInfoResponse running = startTask(kept);
    TaskSubmitRequest lost = task(ShimProcess.freePort());
    Path lostRecord = awaitRecord(startTask(lost));
    Files.delete(lostRecord); // without its record a task cannot be taken over
    // a task directory without a record or a workload, e.g. of a task that had not started
    Path unstartedDir = Files.createDirectories(home.resolve("runners/unstarted-0123abcd"));
    shim.process().destroyForcibly().waitFor();
    assertTrue(runnerAnswers(kept.runnerPort()), "the runner outlives its shim");

    shim = startShim(home);
    TaskInfoResponse adopted = shim.task(kept.id());

    assertEquals(TaskStatus.RUNNING, adopted.status(), adopted::toString);
    assertEquals(running.containerId(), adopted.containerId());
    assertTrue(runnerAnswers(kept.runnerPort()), "the runner runs on under the new shim");
    assertEquals(404, shim.get(ShimApi.task(lost.id())).status());
    assertFalse(runnerAnswers(lost.runnerPort()), "the task without a record is stopped");
    assertFalse(Files.exists(lostRecord.getParent()), "and its directory removed");
    assertFalse(Files.exists(unstartedDir), "so is a directory without a task");
    shim.terminate(kept.id(), 5);
    assertFalse(runnerAnswers(kept.runnerPort()), "the new shim stops the task it took over");
    shim.remove(kept.id());
    assertFalse(workloadLeft(kept.id()), "and removes it");
    assertFalse(workloadLeft(lost.id()), "nothing of the other is left");
  }

  /** The record of a started task, once written. */
  private Path awaitRecord(TaskInfoResponse started) throws InterruptedException {
    Path record = home.resolve("runners").resolve(started.containerName()).resolve("task.json");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Files.exists(record)) {
      assertTrue(System.nanoTime() < deadline, "no " + record);
      Thread.sleep(20);
    }
    return record;
  }

  @Test
  void aShutdownWithItsTasksLeavesNoWorkloadAndTakesNoNewTask() throws Exception {
    TaskSubmitRequest request = task(ShimProcess.freePort());
    startTask(request);

    var answer = shim.post(ShimApi.SHUTDOWN, "{\"force\":false,\"terminate_tasks\":true}");
    assertEquals(200, answer.status(), answer::toString);
    // Refused from the answer on (or the shim is gone already): nothing could stop it afterwards.
    TaskSubmitRequest late = task(ShimProcess.freePort());
    int lateStatus;
    try {
      lateStatus = shim.post(ShimApi.TASKS, Json.write(late)).status();
    } catch (AssertionError gone) {
      lateStatus = -1;
    }
    assertTrue(lateStatus == 409 || lateStatus == -1, "late task answered " + lateStatus);

    assertTrue(shim.process().waitFor(30, TimeUnit.SECONDS), "the shim exits");
    assertTrue(shim.log().contains("shutdown: terminated 1 task(s)"), shim.log());
    assertFalse(runnerAnswers(request.runnerPort()), "its runner is stopped");
    assertFalse(runnerAnswers(late.runnerPort()), "no runner for the late task");
    if (mode().equals("process")) {
      assertFalse(workloadLeft(request.id()), "no runner process is left");
    }
  }
}
