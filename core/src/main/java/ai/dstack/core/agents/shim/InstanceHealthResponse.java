package ai.dstack.core.agents.shim;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * GET /api/instance/health: the NVIDIA DCGM health of the host's GPUs, {@code dcgm} null where DCGM
 * is not available.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InstanceHealthResponse(DcgmHealth dcgm) {

  /** {@code dcgmHealthResponse_v5}: overall result (0 pass, 10 warn, 20 fail) and incidents. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record DcgmHealth(int overallHealth, List<DcgmIncident> incidents) {
    public DcgmHealth {
      incidents = incidents == null ? List.of() : List.copyOf(incidents);
    }
  }

  /** One flattened {@code dcgmIncidentInfo_t}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record DcgmIncident(
      int system,
      int health,
      String errorMessage,
      int errorCode,
      int entityGroupId,
      int entityId) {}
}
