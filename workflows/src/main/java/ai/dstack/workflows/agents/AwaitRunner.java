package ai.dstack.workflows.agents;

/**
 * Wait for the runner.
 *
 * @param target the runner
 */
public record AwaitRunner(RunnerTarget target) {}
