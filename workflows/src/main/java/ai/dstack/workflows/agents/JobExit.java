package ai.dstack.workflows.agents;

import ai.dstack.core.runs.JobTerminationReason;

/**
 * How a job ended, as its runner reported it.
 *
 * @param reason e.g. {@code done_by_runner}, {@code container_exited_with_error}
 * @param message what went wrong, for people, or null
 * @param exitStatus the exit status of its process, or null
 */
public record JobExit(JobTerminationReason reason, String message, Integer exitStatus) {}
