package ai.dstack.workflows.fleets;

/**
 * Asks a fleet to take no new requests and to end once its queue and slots are empty.
 *
 * @param reason why, for the fleet's log
 */
public record FleetRetirement(String reason) {}
