package ai.dstack.shim.tasks;

import ai.dstack.core.agents.shim.TaskSubmitRequest;
import ai.dstack.core.agents.shim.TerminationReasons;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Which of the host's GPUs are free; tasks take and give back GPUs by id. */
public final class GpuLock {
  private final List<String> all;
  private final Set<String> taken = new LinkedHashSet<>();

  public GpuLock(List<String> gpuIds) {
    this.all = List.copyOf(gpuIds);
  }

  /**
   * Takes {@code count} free GPUs: {@link TaskSubmitRequest#ALL_GPUS} takes every free one (maybe
   * none), 0 none.
   */
  public synchronized List<String> acquire(int count) throws TaskFailure {
    List<String> free = new ArrayList<>(all);
    free.removeAll(taken);
    List<String> chosen;
    if (count == TaskSubmitRequest.ALL_GPUS) {
      chosen = free;
    } else if (count < 0) {
      throw new TaskFailure(TerminationReasons.EXECUTOR_ERROR, "invalid GPU count " + count);
    } else if (count > free.size()) {
      throw new TaskFailure(
          TerminationReasons.EXECUTOR_ERROR,
          "%d GPU(s) requested, %d of the host's %d free"
              .formatted(count, free.size(), all.size()));
    } else {
      chosen = free.subList(0, count);
    }
    taken.addAll(chosen);
    return List.copyOf(chosen);
  }

  /** Takes the GPUs a task taken over from an earlier shim holds: those of this host. */
  public synchronized List<String> claim(List<String> gpuIds) {
    List<String> claimed = gpuIds.stream().filter(all::contains).toList();
    taken.addAll(claimed);
    return claimed;
  }

  public synchronized void release(List<String> gpuIds) {
    gpuIds.forEach(taken::remove);
  }
}
