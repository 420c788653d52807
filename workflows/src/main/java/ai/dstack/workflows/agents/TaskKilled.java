package ai.dstack.workflows.agents;

/**
 * A kill's outcome.
 *
 * @param wasRunning false when the task had already ended or was unknown
 */
public record TaskKilled(boolean wasRunning) {}
