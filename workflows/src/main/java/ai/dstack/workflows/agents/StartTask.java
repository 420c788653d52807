package ai.dstack.workflows.agents;

import ai.dstack.core.runs.InstanceOffer;

/**
 * Create the job's task.
 *
 * @param target where, and the task id
 * @param offer the share of the instance the job holds (its CPU, memory and GPU limits)
 */
public record StartTask(TaskTarget target, InstanceOffer offer) {}
