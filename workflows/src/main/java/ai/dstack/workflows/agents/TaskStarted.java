package ai.dstack.workflows.agents;

/**
 * The shim took the task.
 *
 * @param taskId the task id
 * @param created false when the task existed already (a retried call)
 * @param ready how the task stood a moment after the start when it already ran or had ended (a warm
 *     runner, an image at hand), else null: then wait for it with {@code awaitTask}
 * @param runner the task's runner when it already answered then, else null: then wait for it with
 *     {@code awaitRunner}
 */
public record TaskStarted(String taskId, boolean created, TaskReady ready, RunnerReady runner) {

  /** Taken, and not looked at since. */
  public TaskStarted(String taskId, boolean created) {
    this(taskId, created, null, null);
  }
}
