package ai.dstack.workflows.agents;

/**
 * Wait for the task to run.
 *
 * @param target the task
 */
public record AwaitTask(TaskTarget target) {}
