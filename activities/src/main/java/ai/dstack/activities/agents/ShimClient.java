package ai.dstack.activities.agents;

import ai.dstack.core.agents.shim.ShimApi;
import ai.dstack.core.agents.shim.TaskInfoResponse;
import ai.dstack.core.agents.shim.TaskSubmitRequest;
import ai.dstack.core.agents.shim.TaskTerminateRequest;
import ai.dstack.workflows.agents.TaskTarget;
import io.temporal.failure.ApplicationFailure;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;

/**
 * The shim's task API as the activities use it. Transport failures and server errors are {@link
 * AgentUnavailableException}; refusals (4xx other than the ones each call expects) are
 * non-retryable failures.
 */
final class ShimClient {
  /** The shim's removal waits up to 30 s for the task's thread to let go of its workload. */
  private static final Duration REMOVE_TIMEOUT = Duration.ofSeconds(45);

  private final AgentHttp http;
  private final AgentTimings timings;

  ShimClient(HttpClient client, TaskTarget task, AgentTimings timings) {
    this.http =
        new AgentHttp(client, "the shim", task.instance().hostname(), task.instance().shimPort());
    this.timings = timings;
  }

  AgentHttp http() {
    return http;
  }

  /** The task's state; empty when the shim does not know it. */
  Optional<TaskInfoResponse> task(String id) throws AgentUnavailableException {
    String call = "GET " + ShimApi.task(id);
    var answer =
        http.requireNoServerError(http.get(ShimApi.task(id), timings.requestTimeout()), call);
    if (answer.status() == 404) {
      return Optional.empty();
    }
    if (!answer.ok()) {
      throw AgentFailures.refused(http, call, answer);
    }
    return Optional.of(http.read(answer, TaskInfoResponse.class, call));
  }

  /** Submits the task: true when created, false when the shim has it already. */
  boolean submit(TaskSubmitRequest request) throws AgentUnavailableException {
    String call = "the task " + request.id();
    var answer =
        http.requireNoServerError(
            http.postJson(ShimApi.TASKS, request, timings.requestTimeout()), call);
    if (answer.status() == 409) {
      return false;
    }
    if (!answer.ok()) {
      throw AgentFailures.refused(http, call, answer);
    }
    return true;
  }

  /**
   * Terminates the task, killing it after {@code timeoutSeconds}; empty when the shim does not know
   * it. A task terminated already keeps its first reason.
   */
  Optional<TaskInfoResponse> terminate(String id, String reason, String message, int timeoutSeconds)
      throws AgentUnavailableException {
    String call = "POST " + ShimApi.terminateTask(id);
    var answer =
        http.requireNoServerError(
            http.postJson(
                ShimApi.terminateTask(id),
                new TaskTerminateRequest(reason, message, timeoutSeconds),
                timings.requestTimeout().plusSeconds(timeoutSeconds)),
            call);
    if (answer.status() == 404) {
      return Optional.empty();
    }
    if (!answer.ok()) {
      throw AgentFailures.refused(http, call, answer);
    }
    return Optional.of(http.read(answer, TaskInfoResponse.class, call));
  }

  /** Removes a terminated task: false when the shim does not know it. */
  boolean remove(String id) throws AgentUnavailableException {
    String call = "POST " + ShimApi.removeTask(id);
    var answer =
        http.requireNoServerError(
            http.postEmpty(ShimApi.removeTask(id), max(timings.requestTimeout(), REMOVE_TIMEOUT)),
            call);
    if (answer.status() == 404) {
      return false;
    }
    if (answer.status() == 409) {
      // Still letting go of its workload, or restarted meanwhile: a retry settles it.
      throw ApplicationFailure.newFailure(
          http.agent() + " cannot remove task " + id + " yet: " + answer.error(),
          AgentFailures.UNAVAILABLE);
    }
    if (!answer.ok()) {
      throw AgentFailures.refused(http, call, answer);
    }
    return true;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
