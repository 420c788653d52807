package ai.dstack.core.agents.shim;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** GET /api/components. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ComponentListResponse(List<ComponentInfo> components) {
  public ComponentListResponse {
    components = components == null ? List.of() : List.copyOf(components);
  }
}
