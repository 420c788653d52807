package ai.dstack.core.api.fleets;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * The body of {@code instances/get_instance_health_checks}.
 *
 * @param fleetName the instance's fleet
 * @param instanceNum the instance's number in it
 * @param after only checks after this time
 * @param before only checks before this time
 * @param limit at most this many checks
 */
public record GetInstanceHealthChecksRequest(
    @JsonProperty(required = true) String fleetName,
    @JsonProperty(required = true) Integer instanceNum,
    Instant after,
    Instant before,
    Integer limit) {}
