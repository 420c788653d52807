package ai.dstack.core.agents.shim;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Where in the container a network volume of {@link TaskSubmitRequest#volumes()} is mounted. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VolumeMountPoint(String name, String path) {}
