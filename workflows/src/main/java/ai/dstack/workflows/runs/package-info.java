/**
 * Runs: {@link ai.dstack.workflows.runs.RunWorkflow}, one per run, starts a job workflow per job
 * (replica x node), derives the run's status from theirs by dstack's rule, retries per the run's
 * {@code retry} with dstack's backoff as durable timers, and stops or aborts on request.
 */
package ai.dstack.workflows.runs;
