package ai.dstack.workflows.agents;

/**
 * The runner inside a job's task.
 *
 * @param task the task
 * @param runnerPort the runner's HTTP port on the instance
 */
public record RunnerTarget(TaskTarget task, int runnerPort) {}
