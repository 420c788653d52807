package ai.dstack.shim.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.agents.shim.NetworkMode;
import ai.dstack.core.agents.shim.ShimVolumeInfo;
import ai.dstack.core.agents.shim.TaskInfoResponse;
import ai.dstack.core.agents.shim.TaskStatus;
import ai.dstack.core.agents.shim.TaskSubmitRequest;
import ai.dstack.core.agents.shim.TaskTerminateRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task's states and the races between its thread and terminate/remove, on a scripted engine. */
class TasksTest {
  @TempDir Path runners;

  /** An engine whose steps wait on latches the test opens; it records what was called. */
  static final class ScriptedEngine implements TaskEngine {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final CountDownLatch pullMayEnd = new CountDownLatch(1);
    final CountDownLatch createMayEnd = new CountDownLatch(1);
    final CountDownLatch exit = new CountDownLatch(1);
    final CountDownLatch reached = new CountDownLatch(1);
    volatile String blockIn = "";
    volatile int exitStatus;

    @Override
    public String mode() {
      return "scripted";
    }

    @Override
    public void cleanUpLeftovers() {}

    @Override
    public void pull(Task task) throws InterruptedException {
      calls.add("pull");
      if (blockIn.equals("pull")) {
        task.onCancelPull(
            () -> {
              calls.add("cancel-pull");
              pullMayEnd.countDown();
            });
        reached.countDown();
        pullMayEnd.await();
      }
    }

    @Override
    public void create(Task task) throws TaskFailure {
      calls.add("create");
      task.containerId("c-" + task.id());
      if (blockIn.equals("create")) {
        reached.countDown();
        try {
          createMayEnd.await();
        } catch (InterruptedException e) {
          throw new TaskFailure("executor_error", "interrupted");
        }
      }
      if (blockIn.equals("create-fails")) {
        throw new TaskFailure("creating_container_error", "no such image");
      }
    }

    @Override
    public void start(Task task) {
      calls.add("start");
      reached.countDown();
    }

    @Override
    public int await(Task task) throws InterruptedException {
      exit.await();
      return exitStatus;
    }

    @Override
    public void stop(Task task, Duration timeout) {
      calls.add("stop " + timeout.toSeconds());
      exitStatus = 143;
      exit.countDown();
    }

    @Override
    public void remove(Task task) {
      calls.add("remove");
    }

    @Override
    public List<String> lastLogLines(Task task, int lines) {
      return List.of("last words");
    }
  }

  ScriptedEngine engine = new ScriptedEngine();
  GpuLock gpus = new GpuLock(List.of("gpu-0", "gpu-1"));

  Tasks tasks() {
    return new Tasks(engine, gpus, runners, 10999);
  }

  static TaskSubmitRequest request(String id) {
    return TaskSubmitRequest.of(id, "test", "image", 0);
  }

  TaskInfoResponse await(Tasks tasks, String id, TaskStatus status) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (tasks.info(id).status() != status) {
      assertTrue(System.nanoTime() < deadline, "no " + status + ": " + tasks.info(id));
      Thread.sleep(5);
    }
    return tasks.info(id);
  }

  @Test
  void aRunnerExitingWithAnErrorIsReportedWithItsLastOutput() throws Exception {
    Tasks tasks = tasks();
    tasks.submit(request("t1"));
    engine.reached.await();
    assertEquals(TaskStatus.RUNNING, tasks.info("t1").status());
    assertEquals("c-t1", tasks.info("t1").containerId());
    engine.exitStatus = 2;
    engine.exit.countDown();
    TaskInfoResponse info = await(tasks, "t1", TaskStatus.TERMINATED);
    assertEquals("container_exited_with_error", info.terminationReason());
    assertEquals(
        "the runner exited with status 2; last output:\nlast words", info.terminationMessage());
    assertEquals(List.of("pull", "create", "start"), engine.calls);
  }

  @Test
  void terminateWhilePullingCancelsThePullAndNothingIsCreated() throws Exception {
    engine.blockIn = "pull";
    Tasks tasks = tasks();
    tasks.submit(request("t1"));
    engine.reached.await();
    assertEquals(TaskStatus.PULLING, tasks.info("t1").status());

    TaskInfoResponse info =
        tasks.terminate("t1", new TaskTerminateRequest("aborted_by_user", "no", 3));
    assertEquals(TaskStatus.TERMINATED, info.status());
    assertEquals("aborted_by_user", info.terminationReason());
    tasks.remove("t1");
    assertEquals(List.of("pull", "cancel-pull", "remove"), engine.calls);
    assertThrows(TaskRejectedException.class, () -> tasks.info("t1"));
  }

  @Test
  void aTaskTerminatedWhileItsContainerIsCreatedIsNeverStarted() throws Exception {
    engine.blockIn = "create";
    Tasks tasks = tasks();
    tasks.submit(request("t1"));
    engine.reached.await();
    tasks.terminate("t1", new TaskTerminateRequest("", "", 3));
    engine.createMayEnd.countDown();
    tasks.remove("t1"); // waits for the task's thread, which must not start the container
    assertEquals(List.of("pull", "create", "remove"), engine.calls);
  }

  @Test
  void terminatingARunningTaskStopsItWithTheTimeoutAndKeepsTheServersReason() throws Exception {
    Tasks tasks = tasks();
    tasks.submit(request("t1"));
    engine.reached.await();
    TaskInfoResponse info = tasks.terminate("t1", new TaskTerminateRequest("", "", 7));
    assertEquals("terminated_by_server", info.terminationReason(), "the default reason");
    assertTrue(engine.calls.contains("stop 7"), engine.calls::toString);
    Thread.sleep(100); // the runner's exit (143) comes after and changes nothing
    assertEquals("terminated_by_server", tasks.info("t1").terminationReason());
  }

  @Test
  void closingTerminatesEveryTaskAndRefusesNewOnes() throws Exception {
    Tasks tasks = tasks();
    tasks.submit(request("t1"));
    engine.reached.await();
    assertEquals(TaskStatus.RUNNING, tasks.info("t1").status());

    int terminated = tasks.closeAndTerminateAll("terminated_by_server", "shim stopped", 2);

    assertEquals(1, terminated);
    TaskInfoResponse info = tasks.info("t1");
    assertEquals(TaskStatus.TERMINATED, info.status());
    assertEquals("terminated_by_server", info.terminationReason());
    assertTrue(engine.calls.contains("stop 2"), engine.calls::toString);
    var refused = assertThrows(TaskRejectedException.class, () -> tasks.submit(request("t2")));
    assertTrue(refused.getMessage().contains("shutting down"), refused.getMessage());
    assertEquals(List.of("t1"), tasks.ids());
    assertEquals(0, tasks.closeAndTerminateAll("terminated_by_server", "again", 2));
  }

  @Test
  void aFailedStepTerminatesWithItsReasonAndGivesTheGpusBack() throws Exception {
    engine.blockIn = "create-fails";
    Tasks tasks = tasks();
    TaskSubmitRequest all =
        new TaskSubmitRequest(
            "t1",
            "test",
            "",
            "",
            "image",
            "root",
            false,
            -1,
            0,
            0,
            0,
            NetworkMode.HOST,
            null,
            null,
            null,
            null,
            "",
            null,
            null,
            0);
    tasks.submit(all);
    TaskInfoResponse info = await(tasks, "t1", TaskStatus.TERMINATED);
    assertEquals("creating_container_error", info.terminationReason());
    assertEquals("no such image", info.terminationMessage());
    assertEquals(List.of("gpu-0", "gpu-1"), info.gpusIds());
    Thread.sleep(50);
    assertEquals(List.of("gpu-0", "gpu-1"), gpus.acquire(2), "released");
  }

  @Test
  void tooManyGpusOrNetworkVolumesAreExecutorErrors() throws Exception {
    Tasks tasks = tasks();
    tasks.submit(
        new TaskSubmitRequest(
            "gpus",
            "test",
            "",
            "",
            "image",
            "root",
            false,
            3,
            0,
            0,
            0,
            NetworkMode.HOST,
            null,
            null,
            null,
            null,
            "",
            null,
            null,
            0));
    TaskInfoResponse info = await(tasks, "gpus", TaskStatus.TERMINATED);
    assertEquals("executor_error", info.terminationReason());
    assertEquals("3 GPU(s) requested, 2 of the host's 2 free", info.terminationMessage());

    tasks.submit(
        new TaskSubmitRequest(
            "vols",
            "test",
            "",
            "",
            "image",
            "root",
            false,
            0,
            0,
            0,
            0,
            NetworkMode.HOST,
            List.of(new ShimVolumeInfo("aws", "data", "vol-1", true, null)),
            null,
            null,
            null,
            "",
            null,
            null,
            0));
    info = await(tasks, "vols", TaskStatus.TERMINATED);
    assertEquals("executor_error", info.terminationReason());
    assertTrue(info.terminationMessage().startsWith("network volumes are not supported"));
    assertFalse(engine.calls.contains("pull"), "nothing pulled: " + engine.calls);
  }

  @Test
  void removeDeletesTheTaskDirectory() throws Exception {
    Tasks tasks = tasks();
    tasks.submit(request("t1"));
    engine.reached.await();
    Path dir = runners.resolve("test-162abedc");
    assertTrue(Files.isDirectory(dir));
    tasks.terminate("t1", new TaskTerminateRequest("", "", 0));
    tasks.remove("t1");
    assertFalse(Files.exists(dir));
  }
}
