package ai.dstack.workflows.agents;

/**
 * The runner answers.
 *
 * @param version the runner's version
 */
public record RunnerReady(String version) {}
