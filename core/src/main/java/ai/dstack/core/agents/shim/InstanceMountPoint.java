package ai.dstack.core.agents.shim;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A host directory bind-mounted into the container.
 *
 * @param instancePath absolute path on the host; created (world-writable) when missing
 * @param path absolute path in the container
 * @param optional whether the job may run without it where instance volumes are not supported
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InstanceMountPoint(String instancePath, String path, boolean optional) {}
