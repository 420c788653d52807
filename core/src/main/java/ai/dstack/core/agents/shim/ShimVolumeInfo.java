package ai.dstack.core.agents.shim;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A network volume (a cloud disk) the shim attaches and mounts for the task.
 *
 * @param initFs whether the shim may create a file system on an empty disk
 * @param deviceName the device the backend attached it as, null when unknown
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ShimVolumeInfo(
    String backend, String name, String volumeId, boolean initFs, String deviceName) {}
