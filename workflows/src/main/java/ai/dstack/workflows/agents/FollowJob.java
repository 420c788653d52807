package ai.dstack.workflows.agents;

/**
 * Follow a job.
 *
 * @param target the runner
 */
public record FollowJob(RunnerTarget target) {}
