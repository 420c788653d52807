package ai.dstack.shim.tasks;

import java.time.Duration;
import java.util.List;

/**
 * What carries tasks out: Docker containers or host processes. {@link Tasks} calls the steps in
 * order (pull, create, start, await) on a task's own thread, and stop and remove from requests.
 */
public interface TaskEngine {

  /** {@code docker} or {@code process}. */
  String mode();

  /**
   * Takes over {@code task}'s workload, which an earlier shim with the same home started and left
   * running: the task runs on under this shim. False when it cannot (the default: nothing is taken
   * over), and then {@link #cleanUpLeftovers} removes it. Called before that.
   */
  default boolean adopt(Task task) {
    return false;
  }

  /** Removes what an earlier run of a shim with the same home left behind and nothing adopted. */
  void cleanUpLeftovers();

  /** Gets ready for the first task, once the leftovers are gone; nothing to do by default. */
  default void ready() {}

  /**
   * Makes the task's image available, reporting progress on the task; interruptible through {@link
   * Task#onCancelPull}.
   */
  void pull(Task task) throws TaskFailure, InterruptedException;

  /** Creates the workload (the container) without starting it. */
  void create(Task task) throws TaskFailure;

  /** Starts the created workload. */
  void start(Task task) throws TaskFailure;

  /** Waits until the workload exits and returns its exit status. */
  int await(Task task) throws InterruptedException, TaskFailure;

  /**
   * Stops the workload: SIGTERM, then SIGKILL after {@code timeout}; returns once it is stopped.
   */
  void stop(Task task, Duration timeout);

  /** Removes the workload (stopping it first if need be). */
  void remove(Task task);

  /** The last lines the workload printed, for a failed task's message. */
  List<String> lastLogLines(Task task, int lines);
}
