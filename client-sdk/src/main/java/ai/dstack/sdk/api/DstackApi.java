package ai.dstack.sdk.api;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The low-level client: one method per endpoint of the dstack server's HTTP API (dstack 0.22.5's,
 * see {@code docs}), grouped as dstack's Python {@code APIClient} groups them, with the request and
 * response records shared from core. Every call is a POST with the token and the {@code
 * X-API-VERSION} header (but {@link MetricsApi#job}, dstack's one GET); failures are {@link
 * DstackException}s.
 *
 * <pre>{@code
 * var api = DstackApi.builder("http://127.0.0.1:3000", token).build();
 * List<Run> runs = api.runs().list("main", ListRunsRequest.latest(null, true, 100));
 * }</pre>
 *
 * <p>Thread-safe; one instance can serve a whole program. {@link #close()} releases its HTTP
 * client's threads and connections.
 */
public final class DstackApi implements AutoCloseable {

  /** The API version sent when {@code DSTACK_CLIENT_API_VERSION} does not say otherwise. */
  public static final String API_VERSION = "0.22.5";

  /** The variable that overrides the {@code X-API-VERSION} header, as for dstack's client. */
  public static final String API_VERSION_ENV = "DSTACK_CLIENT_API_VERSION";

  private final URI url;
  private final ServerApi server;
  private final UsersApi users;
  private final ProjectsApi projects;
  private final SecretsApi secrets;
  private final RunsApi runs;
  private final LogsApi logs;
  private final ReposApi repos;
  private final FleetsApi fleets;
  private final InstancesApi instances;
  private final BackendsApi backends;
  private final VolumesApi volumes;
  private final GatewaysApi gateways;
  private final EventsApi events;
  private final MetricsApi metrics;
  private final GpusApi gpus;

  private DstackApi(Builder builder) {
    String base = builder.url.strip();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    this.url = URI.create(base);
    if (url.getScheme() == null || url.getHost() == null) {
      throw new IllegalArgumentException("not a server URL: " + builder.url);
    }
    var transport =
        new Transport(
            base,
            builder.token,
            builder.apiVersion,
            builder.connectTimeout,
            builder.retry,
            builder.requestTimeout);
    this.server = new ServerApi(transport);
    this.users = new UsersApi(transport);
    this.projects = new ProjectsApi(transport);
    this.secrets = new SecretsApi(transport);
    this.runs = new RunsApi(transport);
    this.logs = new LogsApi(transport);
    this.repos = new ReposApi(transport);
    this.fleets = new FleetsApi(transport);
    this.instances = new InstancesApi(transport);
    this.backends = new BackendsApi(transport);
    this.volumes = new VolumesApi(transport);
    this.gateways = new GatewaysApi(transport);
    this.events = new EventsApi(transport);
    this.metrics = new MetricsApi(transport);
    this.gpus = new GpusApi(transport);
  }

  /**
   * A client of the server at {@code url} (e.g. {@code http://127.0.0.1:3000}) as {@code token}.
   */
  public static Builder builder(String url, String token) {
    return new Builder(url, token);
  }

  /** The server's URL, without a trailing slash. */
  public URI url() {
    return url;
  }

  /** {@code /api/server}. */
  public ServerApi server() {
    return server;
  }

  /** {@code /api/users}. */
  public UsersApi users() {
    return users;
  }

  /** {@code /api/projects}. */
  public ProjectsApi projects() {
    return projects;
  }

  /** {@code /api/project/{p}/secrets}. */
  public SecretsApi secrets() {
    return secrets;
  }

  /** {@code /api/project/{p}/runs} and {@code /api/runs/list}. */
  public RunsApi runs() {
    return runs;
  }

  /** {@code /api/project/{p}/logs}. */
  public LogsApi logs() {
    return logs;
  }

  /** {@code /api/project/{p}/repos}. */
  public ReposApi repos() {
    return repos;
  }

  /** {@code /api/project/{p}/fleets} and {@code /api/fleets/list}. */
  public FleetsApi fleets() {
    return fleets;
  }

  /** {@code /api/project/{p}/instances} and {@code /api/instances/list}. */
  public InstancesApi instances() {
    return instances;
  }

  /** {@code /api/backends}. */
  public BackendsApi backends() {
    return backends;
  }

  /** {@code /api/project/{p}/volumes} and {@code /api/volumes/list}. */
  public VolumesApi volumes() {
    return volumes;
  }

  /** {@code /api/project/{p}/gateways}. */
  public GatewaysApi gateways() {
    return gateways;
  }

  /** {@code /api/events}. */
  public EventsApi events() {
    return events;
  }

  /** {@code /api/project/{p}/metrics} (the API's one GET). */
  public MetricsApi metrics() {
    return metrics;
  }

  /** {@code /api/project/{p}/gpus}. */
  public GpusApi gpus() {
    return gpus;
  }

  /**
   * Releases this client. Calls hold no resources between them (idle keep-alive connections are the
   * JDK's to close), so this does nothing now; it stays for clients that will.
   */
  @Override
  public void close() {}

  /** Settings of a {@link DstackApi}; every one has a default. */
  public static final class Builder {
    private final String url;
    private final String token;
    private String apiVersion = defaultApiVersion();
    private RetryPolicy retry = RetryPolicy.DEFAULT;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(60);

    private Builder(String url, String token) {
      this.url = Objects.requireNonNull(url, "url");
      this.token = Objects.requireNonNull(token, "token");
    }

    /**
     * The {@code X-API-VERSION} header: {@code DSTACK_CLIENT_API_VERSION}, else {@value
     * #API_VERSION}; {@code latest} skips the server's version check.
     */
    public Builder apiVersion(String apiVersion) {
      this.apiVersion = Objects.requireNonNull(apiVersion, "apiVersion");
      return this;
    }

    /** How calls are retried while the server is unavailable; {@link RetryPolicy#DEFAULT}. */
    public Builder retry(RetryPolicy retry) {
      this.retry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    /** How long connecting may take (10 s). */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
      return this;
    }

    /** How long one call may take, from sending to the answer (60 s). */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
      return this;
    }

    /** The client. */
    public DstackApi build() {
      return new DstackApi(this);
    }

    private static String defaultApiVersion() {
      String configured = System.getenv(API_VERSION_ENV);
      return configured == null || configured.isBlank() ? API_VERSION : configured.strip();
    }
  }
}
