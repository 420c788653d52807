package ai.dstack.core.agents.shim;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * POST /api/tasks/{id}/terminate: stop the task; its container stays until removed.
 *
 * @param terminationReason recorded unless the task has already terminated with a reason
 * @param timeout seconds between the polite stop (SIGTERM) and the kill
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskTerminateRequest(
    String terminationReason, String terminationMessage, int timeout) {
  public TaskTerminateRequest {
    terminationReason = terminationReason == null ? "" : terminationReason;
    terminationMessage = terminationMessage == null ? "" : terminationMessage;
  }
}
