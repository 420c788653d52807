package ai.dstack.core.runs.wire;

import ai.dstack.core.agents.shim.NetworkMode;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * What is known of a job submission once it runs, dstack's {@code JobRuntimeData}.
 *
 * @param networkMode host or bridge
 * @param gpu the GPUs the job has, or null for all of the instance's
 * @param cpu the CPUs the job has, or null for all
 * @param memory the memory the job has, in GB, or null for all
 * @param ports container port to host port, as the shim reports them (empty for the host network);
 *     the CLI reaches the container's sshd through {@code ports[10022]}
 * @param volumeNames the volumes attached for the job
 * @param offer the share of the instance the job got
 * @param workingDir the working directory the runner resolved
 * @param username the user the runner runs the job as
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobRuntimeData(
    NetworkMode networkMode,
    Integer gpu,
    Double cpu,
    Double memory,
    Map<Integer, Integer> ports,
    List<String> volumeNames,
    InstanceOfferWithAvailability offer,
    String workingDir,
    String username) {

  public JobRuntimeData {
    networkMode = networkMode == null ? NetworkMode.HOST : networkMode;
    ports = ports == null ? null : Map.copyOf(ports);
    volumeNames = volumeNames == null ? null : List.copyOf(volumeNames);
  }
}
