package ai.dstack.workflows.agents;

/**
 * Submit the job to the runner.
 *
 * @param target the runner
 */
public record SubmitJob(RunnerTarget target) {}
