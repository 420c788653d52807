package ai.dstack.workflows.agents;

import ai.dstack.core.runs.JobTerminationReason;

/**
 * Kill a task now.
 *
 * @param target the task
 * @param reason the job's termination reason, recorded by the shim
 * @param message why, for people
 */
public record KillTask(TaskTarget target, JobTerminationReason reason, String message) {}
