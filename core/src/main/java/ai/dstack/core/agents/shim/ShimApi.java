package ai.dstack.core.agents.shim;

/** The shim's service name, protocol version and paths, as dstack 0.22.5's server calls them. */
public final class ShimApi {
  private ShimApi() {}

  /** What {@link HealthcheckResponse#service()} says; dstack's server checks it. */
  public static final String SERVICE = "dstack-shim";

  /**
   * The dstack shim version whose API this shim speaks. dstack's server gates features on it (API
   * v2 from 0.18.34, instance info from 0.20.30, shutdown from 0.20.1).
   */
  public static final String VERSION = "0.22.5";

  /** The port dstack's shim listens on by default. */
  public static final int DEFAULT_PORT = 10998;

  /** The port dstack's runner listens on by default. */
  public static final int DEFAULT_RUNNER_PORT = 10999;

  public static final String HEALTHCHECK = "/api/healthcheck";
  public static final String SHUTDOWN = "/api/shutdown";
  public static final String INSTANCE_HEALTH = "/api/instance/health";
  public static final String INSTANCE_INFO = "/api/instance/info";
  public static final String COMPONENTS = "/api/components";

  /** Ours, not dstack's: dstack's shim writes this as {@code host_info.json} in its home only. */
  public static final String HOST_INFO = "/api/host_info";

  /** The file the shim writes into its home directory, which dstack's SSH fleets read. */
  public static final String HOST_INFO_FILE = "host_info.json";

  /** GET lists the tasks, POST submits one. */
  public static final String TASKS = "/api/tasks";

  /** GET: one task's state. */
  public static String task(String id) {
    return TASKS + "/" + id;
  }

  /** POST with a {@link TaskTerminateRequest}. */
  public static String terminateTask(String id) {
    return task(id) + "/terminate";
  }

  /** POST without a body: removes a terminated task's container and files. */
  public static String removeTask(String id) {
    return task(id) + "/remove";
  }
}
