/**
 * Temporal workflows and the activity interfaces they call: {@link
 * ai.dstack.workflows.runs.RunWorkflow} per run, {@link ai.dstack.workflows.jobs.JobWorkflow} per
 * job submission, {@link ai.dstack.workflows.fleets.FleetWorkflow} per fleet with its queue.
 * Activity interfaces are grouped by the resource they touch: {@code agents} (shim, runner, logs),
 * {@code offers}, {@code projections}, and the fleet's slot requests.
 *
 * <p>Depends on core and the Temporal SDK only; deterministic code (no I/O, clocks, randomness or
 * threads outside Workflow APIs). Implementations of the activities live in {@code activities/}.
 */
package ai.dstack.workflows;
