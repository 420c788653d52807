package ai.dstack.core.agents.shim;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A device node the server passes into the container itself, instead of the vendor's runtime. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GpuDevice(String pathOnHost, String pathInContainer) {}
