package ai.dstack.core.agents.shim;

/**
 * The termination reasons the shim itself sets, as dstack's {@code JobTerminationReason} values
 * (the server parses them with it, so no other value may appear).
 */
public final class TerminationReasons {
  private TerminationReasons() {}

  /** The container (the runner) exited with 0. */
  public static final String DONE_BY_RUNNER = "done_by_runner";

  /** The container (the runner) exited with another code. */
  public static final String CONTAINER_EXITED_WITH_ERROR = "container_exited_with_error";

  /** The image could not be pulled or the container not be created or started. */
  public static final String CREATING_CONTAINER_ERROR = "creating_container_error";

  /** The shim could not prepare the task (GPUs, mounts, volumes). */
  public static final String EXECUTOR_ERROR = "executor_error";

  /** The server's default when it terminates a task without a reason. */
  public static final String TERMINATED_BY_SERVER = "terminated_by_server";
}
