package ai.dstack.core.agents.shim;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * GET /api/instance/info: the host's GPU vendor and driver version; both null on hosts without
 * GPUs, the driver also when its detection failed.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InstanceInfoResponse(String gpuVendor, String gpuDriverVersion) {}
