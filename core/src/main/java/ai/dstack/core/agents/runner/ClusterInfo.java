package ai.dstack.core.agents.runner;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The nodes of a multi-node job, as dstack's {@code ClusterInfo}.
 *
 * @param jobIps the internal IP of every node, by node rank
 * @param masterJobIp the IP of rank 0
 * @param gpusPerJob the GPU count of this node
 * @param gpusPerNode the GPU count of every node, in {@code jobIps} order; empty from old servers
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClusterInfo(
    List<String> jobIps, String masterJobIp, int gpusPerJob, List<Integer> gpusPerNode) {
  public ClusterInfo {
    jobIps = jobIps == null ? List.of() : List.copyOf(jobIps);
    masterJobIp = masterJobIp == null ? "" : masterJobIp;
    gpusPerNode = gpusPerNode == null ? List.of() : List.copyOf(gpusPerNode);
  }

  /** A single node without GPUs: what a runner assumes when the server sends no cluster info. */
  public static ClusterInfo singleNode() {
    return new ClusterInfo(List.of(), "", 0, List.of());
  }
}
