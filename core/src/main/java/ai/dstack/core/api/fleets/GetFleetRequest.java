package ai.dstack.core.api.fleets;

import java.util.UUID;

/**
 * The body of {@code fleets/get}: the fleet's name or its id (the id wins when both are given).
 *
 * @param name the fleet's name
 * @param id the fleet's id
 */
public record GetFleetRequest(String name, UUID id) {}
