package ai.dstack.activities.agents;

import io.temporal.failure.ApplicationFailure;

/**
 * The failures the agent activities end with: one sentence for people, no cause chain (the workflow
 * shows the innermost message), retryable unless retrying cannot help.
 */
final class AgentFailures {
  /** The agent cannot be reached or failed; a retry may find it back. */
  static final String UNAVAILABLE = "AgentUnavailable";

  /** The agent refused the request (a 4xx): the same request would be refused again. */
  static final String REFUSED = "AgentRefused";

  /** The job's data could not be read from the server's storage. */
  static final String PAYLOAD = "JobPayloadUnavailable";

  /** The worker is shutting down. */
  static final String INTERRUPTED = "Interrupted";

  private AgentFailures() {}

  static ApplicationFailure unavailable(AgentUnavailableException e) {
    return ApplicationFailure.newFailure(e.getMessage(), UNAVAILABLE);
  }

  static ApplicationFailure refused(AgentHttp http, String call, AgentHttp.Answer answer) {
    return refused(
        http.agent() + " refused " + call + " (HTTP " + answer.status() + "): " + answer.error());
  }

  static ApplicationFailure refused(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, REFUSED);
  }

  /** The port's own failure as it is; any other exception as a retryable failure to read. */
  static ApplicationFailure payload(String what, Exception e) {
    if (e instanceof ApplicationFailure failure) {
      return failure;
    }
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return ApplicationFailure.newFailure("cannot read " + what + ": " + why, PAYLOAD);
  }

  static ApplicationFailure interrupted() {
    return ApplicationFailure.newFailure("interrupted: the worker is shutting down", INTERRUPTED);
  }
}
