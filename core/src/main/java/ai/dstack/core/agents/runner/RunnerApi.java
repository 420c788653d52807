package ai.dstack.core.agents.runner;

/** The runner's endpoints and fixed names, as dstack's server calls them. */
public final class RunnerApi {
  private RunnerApi() {}

  /** The {@code service} a runner reports in its healthcheck. */
  public static final String SERVICE = "dstack-runner";

  /** The port dstack's shim starts the runner on inside the container. */
  public static final int DEFAULT_PORT = 10999;

  /** GET: {@link HealthcheckResponse}. */
  public static final String HEALTHCHECK = "/api/healthcheck";

  /** GET: {@link MetricsResponse}; 404 where the runner cannot read its cgroup. */
  public static final String METRICS = "/api/metrics";

  /** POST {@link SubmitBody}: the job to run; 409 once the job runs. */
  public static final String SUBMIT = "/api/submit";

  /**
   * POST, multipart/form-data with one file field {@value #ARCHIVE_FIELD} whose file name is the
   * archive id of a {@link FileArchiveMapping}: a tar archive extracted to the mapping's path.
   */
  public static final String UPLOAD_ARCHIVE = "/api/upload_archive";

  /** The form field of {@link #UPLOAD_ARCHIVE}. */
  public static final String ARCHIVE_FIELD = "archive";

  /**
   * POST, the raw body: the code of the run's repo, a tar archive for {@code local} and {@code
   * virtual} repos, a git diff applied on the cloned repo for {@code remote} ones.
   */
  public static final String UPLOAD_CODE = "/api/upload_code";

  /** POST, no body: starts the submitted job; answers {@link JobInfoResponse}. */
  public static final String RUN = "/api/run";

  /** GET with {@value #TIMESTAMP_PARAM}: {@link PullResponse}, the events after it. */
  public static final String PULL = "/api/pull";

  /** The query parameter of {@link #PULL}. */
  public static final String TIMESTAMP_PARAM = "timestamp";

  /** POST, no body: stops the job (SIGTERM to its process group, SIGKILL after a grace). */
  public static final String STOP = "/api/stop";
}
