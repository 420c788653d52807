package ai.dstack.core.agents.shim;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * GET /api/tasks/{id} (and the answer to submit and terminate): a task's state.
 *
 * @param terminationReason once terminated, a dstack job termination reason in lower case (e.g.
 *     {@code done_by_runner}, {@code container_exited_with_error}, {@code
 *     creating_container_error}, {@code executor_error}) or the one the server gave; "" before
 * @param terminationMessage details for people, "" when none
 * @param ports published ports (bridge network only)
 * @param imagePullProgress while and after pulling, null when no pull happened
 * @param containerName the container's name (in process mode: the task directory's name)
 * @param containerId the Docker container id; in process mode {@code pid:N} once started
 * @param gpusIds the GPUs given to the task (dstack's field name)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskInfoResponse(
    String id,
    TaskStatus status,
    String terminationReason,
    String terminationMessage,
    List<PortMapping> ports,
    ImagePullProgress imagePullProgress,
    String containerName,
    String containerId,
    List<String> gpusIds) {
  public TaskInfoResponse {
    terminationReason = terminationReason == null ? "" : terminationReason;
    terminationMessage = terminationMessage == null ? "" : terminationMessage;
    ports = ports == null ? List.of() : List.copyOf(ports);
    containerName = containerName == null ? "" : containerName;
    containerId = containerId == null ? "" : containerId;
    gpusIds = gpusIds == null ? List.of() : List.copyOf(gpusIds);
  }
}
