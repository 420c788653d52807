package ai.dstack.core.agents.shim;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** GET /api/healthcheck: which service answers and which dstack version it speaks. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HealthcheckResponse(String service, String version) {}
