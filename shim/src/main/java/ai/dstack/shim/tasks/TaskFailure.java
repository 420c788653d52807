package ai.dstack.shim.tasks;

/** A step of a task failed; the task terminates with this reason and message. */
public final class TaskFailure extends Exception {
  private final String reason;

  /**
   * @param reason a dstack job termination reason, see {@link
   *     ai.dstack.core.agents.shim.TerminationReasons}
   */
  public TaskFailure(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public TaskFailure(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
