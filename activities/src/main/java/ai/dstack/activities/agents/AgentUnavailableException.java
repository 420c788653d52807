package ai.dstack.activities.agents;

/**
 * A shim or runner could not be talked to: no connection, no answer in time, a server error, or an
 * answer that cannot be read. Its message says which agent and what happened, for people.
 */
final class AgentUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  AgentUnavailableException(String message) {
    super(message, null, false, false);
  }
}
