/**
 * Fleets: {@link ai.dstack.workflows.fleets.FleetWorkflow}, one per fleet, owns the fleet's
 * instances and the queue of job submissions waiting for capacity. A job asks for a slot with an
 * Update (sent by {@link ai.dstack.workflows.fleets.FleetActivities}), waits in the queue if the
 * fleet is full, and is granted a slot by a signal when capacity frees.
 */
package ai.dstack.workflows.fleets;
