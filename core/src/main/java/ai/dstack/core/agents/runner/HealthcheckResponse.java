package ai.dstack.core.agents.runner;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The answer of {@link RunnerApi#HEALTHCHECK}.
 *
 * @param service {@link RunnerApi#SERVICE} for a runner ({@code dstack-shim} for a shim)
 * @param version the agent's version; dstack's server treats one it cannot parse as the newest
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HealthcheckResponse(String service, String version) {}
