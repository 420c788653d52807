/**
 * The agent activities: {@link ai.dstack.activities.agents.ShimActivitiesImpl} (the job's task on
 * an instance's shim), {@link ai.dstack.activities.agents.RunnerActivitiesImpl} (the job on its
 * runner) and {@link ai.dstack.activities.agents.LogActivitiesImpl} (following the job into the log
 * store), over the agents' HTTP APIs. What they send comes from {@link
 * ai.dstack.activities.agents.JobPayloads}, which the server implements over its database.
 *
 * <p>Depends on workflows, core and the log store.
 */
package ai.dstack.activities.agents;
