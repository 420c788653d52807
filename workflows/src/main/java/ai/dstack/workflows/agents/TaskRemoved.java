package ai.dstack.workflows.agents;

/**
 * A removal's outcome.
 *
 * @param existed false when the shim did not know the task (never created, or removed before)
 */
public record TaskRemoved(boolean existed) {}
