package ai.dstack.workflows.agents;

/**
 * Start the job's commands.
 *
 * @param target the runner
 */
public record StartJob(RunnerTarget target) {}
