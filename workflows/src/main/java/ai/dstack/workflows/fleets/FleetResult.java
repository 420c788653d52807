package ai.dstack.workflows.fleets;

/**
 * What a retired fleet's workflow returns.
 *
 * @param fleetName the fleet
 * @param grants how many slots its last run granted
 */
public record FleetResult(String fleetName, long grants) {}
