/**
 * The agents on an instance, as activities: {@link ai.dstack.workflows.agents.ShimActivities} (the
 * job's container or process), {@link ai.dstack.workflows.agents.RunnerActivities} (the job inside
 * it) and {@link ai.dstack.workflows.agents.LogActivities} (following its state and logs into the
 * log store). Side-effecting calls carry the task id, a {@code Workflow.randomUUID()}, so retries
 * and cleanups find what an earlier call may have created.
 */
package ai.dstack.workflows.agents;
