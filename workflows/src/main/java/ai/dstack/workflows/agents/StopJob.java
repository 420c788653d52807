package ai.dstack.workflows.agents;

import ai.dstack.core.runs.JobTerminationReason;

/**
 * Stop the job gracefully.
 *
 * @param target the runner
 * @param reason the job's termination reason
 */
public record StopJob(RunnerTarget target, JobTerminationReason reason) {}
