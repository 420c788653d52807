package ai.dstack.workflows.agents;

/**
 * Remove a task.
 *
 * @param target the task
 * @param reason why, for the shim's log
 */
public record RemoveTask(TaskTarget target, String reason) {}
