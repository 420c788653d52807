package ai.dstack.shim.tasks;

/** A request about tasks that cannot be carried out as asked; nothing has changed. */
public final class TaskRejectedException extends RuntimeException {

  /** Why: the request is malformed, names no known task, or does not fit the task's state. */
  public enum Kind {
    INVALID,
    NOT_FOUND,
    CONFLICT
  }

  private final Kind kind;

  public TaskRejectedException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
