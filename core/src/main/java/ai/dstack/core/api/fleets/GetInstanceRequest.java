package ai.dstack.core.api.fleets;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.UUID;

/**
 * The body of {@code instances/get}.
 *
 * @param id the instance's id
 */
public record GetInstanceRequest(@JsonProperty(required = true) UUID id) {}
