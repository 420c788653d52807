package ai.dstack.core.api.fleets;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The body of {@code fleets/delete}.
 *
 * @param names the fleets to delete; names of no fleet are ignored, as in dstack
 */
public record DeleteFleetsRequest(@JsonProperty(required = true) List<String> names) {}
