/**
 * Fleets: the server's {@code local} fleet (this host, through a shim the server supervises, with
 * one {@code FleetWorkflow} that queues every project's jobs), the instances offer matching reads,
 * the fleets' projections, and dstack's fleets, instances, volumes, gateways and backends API.
 *
 * <p>Depends on {@code projects} (who may see a project), {@code temporal} (the workers it starts
 * after), the workflows' fleet types and the activities' {@code LocalShim}.
 */
package ai.dstack.orchestrator.fleets;
