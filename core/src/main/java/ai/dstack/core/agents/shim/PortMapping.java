package ai.dstack.core.agents.shim;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A container port published on a host port (bridge network only). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PortMapping(int host, int container) {}
