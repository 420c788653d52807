package ai.dstack.workflows.agents;

/**
 * The job's commands run.
 *
 * @param alreadyRunning true when a retried call found them running
 */
public record JobStarted(boolean alreadyRunning) {}
