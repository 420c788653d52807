package ai.dstack.workflows.agents;

import ai.dstack.core.runs.JobTerminationReason;

/**
 * How the wait for a task ended.
 *
 * @param running whether the task runs; if not, the shim gave up on it
 * @param runnerPort the runner's port when running
 * @param terminationReason why the shim gave up (e.g. {@code creating_container_error}), else null
 * @param terminationMessage what went wrong, for people, else null
 */
public record TaskReady(
    boolean running,
    int runnerPort,
    JobTerminationReason terminationReason,
    String terminationMessage) {}
