package ai.dstack.workflows.agents;

/**
 * The shim took the task.
 *
 * @param taskId the task id
 * @param created false when the task existed already (a retried call)
 */
public record TaskStarted(String taskId, boolean created) {}
