package ai.dstack.core.api.fleets;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The body of {@code fleets/delete_instances}.
 *
 * @param name the fleet
 * @param instanceNums the numbers of the instances to delete
 */
public record DeleteFleetInstancesRequest(
    @JsonProperty(required = true) String name,
    @JsonProperty(required = true) List<Integer> instanceNums) {}
