/**
 * The agent inside a job container: runs the job's commands, collects logs, reports state.
 *
 * <p>Depends on core only; no Spring, no Temporal.
 */
package ai.dstack.runner;
