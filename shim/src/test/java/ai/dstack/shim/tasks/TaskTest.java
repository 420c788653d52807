package ai.dstack.shim.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.dstack.core.agents.shim.TaskStatus;
import ai.dstack.core.agents.shim.TaskSubmitRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TaskTest {

  @Test
  void namesContainersAsDstackDoes() {
    // sha256("my-run-0-0/2f3c9d1e-6a7b-4c8d-9e0f-1a2b3c4d5e6f")[:8] == 14739b7c
    assertEquals(
        "my-run-0-0-14739b7c",
        Task.containerName("my-run-0-0", "2f3c9d1e-6a7b-4c8d-9e0f-1a2b3c4d5e6f"));
    assertEquals("test-162abedc", Task.containerName("test", "t1"));
  }

  @Test
  void keepsTheFirstTerminationReason() {
    Task task = new Task(TaskSubmitRequest.of("t1", "test", "image", 0), Path.of("/tmp"), 10999);
    task.advance(TaskStatus.PREPARING);
    task.terminate("terminated_by_user", "stop");
    task.terminate("container_exited_with_error", "exit 143");
    assertEquals("terminated_by_user", task.info().terminationReason());
    assertEquals("stop", task.info().terminationMessage());
    assertFalse(task.advance(TaskStatus.PULLING), "a terminated task does not go on");
    assertEquals(TaskStatus.TERMINATED, task.status());
  }
}
