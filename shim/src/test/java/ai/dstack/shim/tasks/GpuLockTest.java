package ai.dstack.shim.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Tasks take GPUs by count (-1: all free ones) and give them back. */
class GpuLockTest {

  @Test
  void takesFreeGpusAndGivesThemBack() throws Exception {
    GpuLock lock = new GpuLock(List.of("a", "b", "c"));
    assertEquals(List.of("a", "b"), lock.acquire(2));
    assertEquals(List.of("c"), lock.acquire(-1));
    assertEquals(List.of(), lock.acquire(-1));
    TaskFailure failure = assertThrows(TaskFailure.class, () -> lock.acquire(1));
    assertEquals("executor_error", failure.reason());
    assertEquals("1 GPU(s) requested, 0 of the host's 3 free", failure.getMessage());
    lock.release(List.of("b"));
    assertEquals(List.of("b"), lock.acquire(1));
  }

  @Test
  void allOnAHostWithoutGpusIsNone() throws Exception {
    GpuLock lock = new GpuLock(List.of());
    assertEquals(List.of(), lock.acquire(-1));
    assertEquals(List.of(), lock.acquire(0));
  }
}
