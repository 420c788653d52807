/**
 * Jobs: {@link ai.dstack.workflows.jobs.JobWorkflow}, one per submission of a job, takes it from
 * its fleet's queue through provisioning on the granted instance to its end, and always cleans up:
 * the task is removed and the slot released in a detached cancellation scope, whatever happened.
 */
package ai.dstack.workflows.jobs;
