package ai.dstack.sdk;

import ai.dstack.core.api.fleets.GetFleetRequest;
import ai.dstack.core.api.fleets.ListProjectFleetsRequest;
import ai.dstack.core.api.repos.SaveRepoCredsRequest;
import ai.dstack.core.api.runs.ApplyRunPlanRequest;
import ai.dstack.core.api.runs.GetRunPlanRequest;
import ai.dstack.core.api.runs.GetRunRequest;
import ai.dstack.core.api.runs.ListRunsRequest;
import ai.dstack.core.api.secrets.Secret;
import ai.dstack.core.configurations.Configuration;
import ai.dstack.core.runs.wire.Fleet;
import ai.dstack.core.runs.wire.JobPlan;
import ai.dstack.core.runs.wire.RunPlan;
import ai.dstack.core.runs.wire.RunSpec;
import ai.dstack.sdk.api.DstackApi;
import ai.dstack.sdk.api.DstackException;
import ai.dstack.sdk.api.RetryPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The SDK's high level: one project of one dstack server, for programs and batch pipelines.
 *
 * <pre>{@code
 * Dstack dstack = Dstack.fromConfig();                 // as the dstack CLI is configured
 * Run run = dstack.apply(Path.of(".dstack.yml"));      // plan and submit, as `dstack apply -d -y`
 * run.logs().forEach(System.out::println);             // follow it until it ends
 * RunStatus status = run.await(Duration.ofMinutes(5)); // done, failed or terminated
 * }</pre>
 *
 * <p>Thread-safe: submit and follow many runs from as many threads. Failures are {@link
 * DstackException}s; {@link #api()} is the low level, one method per endpoint. {@link #close()}
 * releases the HTTP client.
 */
public final class Dstack implements AutoCloseable {
  private final DstackApi api;
  private final String project;
  private final Map<String, String> env;
  private final Duration maxPollInterval;

  private Dstack(DstackApi api, String project, Map<String, String> env, Duration maxPoll) {
    this.api = api;
    this.project = project;
    this.env = env;
    this.maxPollInterval = maxPoll;
  }

  /**
   * The project dstack's CLI would use: {@code DSTACK_PROJECT}, else the default project of {@code
   * ~/.dstack/config.yml}; {@code DSTACK_SERVER_URL} and {@code DSTACK_TOKEN} instead of the file,
   * {@code DSTACK_TOKEN} alone instead of the file's token (see {@link DstackConfig#resolve}).
   *
   * @throws DstackException.NotConfigured when nothing names a server and project
   */
  public static Dstack fromConfig() {
    return builder().build();
  }

  /**
   * Project {@code project} as configured in {@code ~/.dstack/config.yml}; see {@link
   * #fromConfig()}.
   */
  public static Dstack fromConfig(String project) {
    return builder().project(project).build();
  }

  /** Project {@code project} of the server at {@code url}, as the user of {@code token}. */
  public static Dstack of(String url, String token, String project) {
    return builder().url(url).token(token).project(project).build();
  }

  /** Settings beyond the defaults: retries, timeouts, another config file or environment. */
  public static Builder builder() {
    return new Builder();
  }

  /** The low level: one method per endpoint of the server's API. */
  public DstackApi api() {
    return api;
  }

  /** The project this instance works in. */
  public String project() {
    return project;
  }

  // ---- Runs. ----

  /**
   * Plans the run configuration in {@code file} ({@code .dstack.yml}), as {@code dstack apply}
   * shows it before asking: the jobs, their best offers, and whether it creates or updates a run.
   *
   * @throws DstackException.InvalidConfiguration with every error of the file, before any call
   */
  public RunPlan plan(Path file) {
    return plan(specOf(file));
  }

  /** Plans the run configuration {@code yaml}; see {@link #plan(Path)}. */
  public RunPlan planYaml(String yaml) {
    return plan(RunSpecBuilder.fromYaml(yaml, ".dstack.yml", null, env));
  }

  /**
   * Submits the run configuration in {@code file} ({@code .dstack.yml}: a task, service or dev
   * environment), as {@code dstack apply -f FILE -d -y} does: plans it, then applies the plan (a
   * finished run of the same name is replaced; an active one is updated where it can be).
   *
   * @throws DstackException.InvalidConfiguration with every error of the file (file, line, column
   *     and field path), before any call
   */
  public Run apply(Path file) {
    return apply(plan(file));
  }

  /**
   * Submits the run configuration {@code yaml}, as {@link #apply(Path)} does a file.
   *
   * @throws DstackException.InvalidConfiguration with every error of it, before any call
   */
  public Run applyYaml(String yaml) {
    return apply(planYaml(yaml));
  }

  /**
   * Plans a parsed run configuration (e.g. from {@link
   * ai.dstack.core.configurations.ConfigurationParser}); see {@link #plan(Path)}.
   *
   * @throws DstackException.InvalidConfiguration when it is not a task, service or dev environment
   */
  public RunPlan plan(Configuration configuration) {
    return plan(RunSpecBuilder.fromConfiguration(configuration, env));
  }

  /**
   * Submits a parsed run configuration, as {@link #apply(Path)} does a file.
   *
   * @throws DstackException.InvalidConfiguration when it is not a task, service or dev environment
   */
  public Run apply(Configuration configuration) {
    return apply(plan(configuration));
  }

  /** Applies a plan from {@link #plan}: submits its run, or updates the run it replaces. */
  public Run apply(RunPlan plan) {
    return new Run(this, api.runs().apply(project, ApplyRunPlanRequest.of(plan, false)));
  }

  /**
   * The run named {@code name} (the latest of that name).
   *
   * @throws DstackException.NotFound when there is none
   */
  public Run run(String name) {
    return named(
        "Run", name, () -> new Run(this, api.runs().get(project, GetRunRequest.byName(name))));
  }

  /** The run named {@code name}, or empty when there is none. */
  public Optional<Run> findRun(String name) {
    try {
      return Optional.of(run(name));
    } catch (DstackException.NotFound e) {
      return Optional.empty();
    }
  }

  /**
   * The runs {@code dstack ps} shows: the active ones, newest first, or the latest finished one
   * when none is active.
   */
  public List<Run> runs() {
    var active = runs(ListRunsRequest.latest(null, true, 100));
    return active.isEmpty() ? runs(ListRunsRequest.latest(null, false, 1)) : active;
  }

  /** The latest {@code limit} runs (at most 100), active or finished, newest first. */
  public List<Run> runs(int limit) {
    return runs(ListRunsRequest.latest(null, false, limit));
  }

  private List<Run> runs(ListRunsRequest request) {
    return api.runs().list(project, request).stream().map(r -> new Run(this, r)).toList();
  }

  // ---- Fleets and offers. ----

  /** The project's fleets. */
  public List<Fleet> fleets() {
    return api.fleets().list(project, new ListProjectFleetsRequest(true));
  }

  /**
   * The fleet named {@code name}.
   *
   * @throws DstackException.NotFound when there is none
   */
  public Fleet fleet(String name) {
    return named("Fleet", name, () -> api.fleets().get(project, new GetFleetRequest(name, null)));
  }

  /** What {@code dstack offer} shows: the best 50 offers for any resources, and how many in all. */
  public JobPlan offers() {
    return offers(Map.of());
  }

  /**
   * The best 50 offers for at least {@code resources}, written as the {@code resources} of a {@code
   * .dstack.yml} (e.g. {@code Map.of("gpu", "A100:2", "memory", "64GB..")}), and how many offers
   * there are in all.
   *
   * @throws DstackException.InvalidConfiguration when {@code resources} do not validate
   */
  public JobPlan offers(Map<String, Object> resources) {
    var request =
        new GetRunPlanRequest(RunSpecBuilder.forOffers(resources), 50, false, false, true);
    return api.runs().getPlan(project, request).jobPlans().getFirst();
  }

  // ---- Secrets. ----

  /** The project's secrets, without their values. */
  public List<Secret> secrets() {
    return api.secrets().list(project);
  }

  /**
   * The secret named {@code name}, with its value.
   *
   * @throws DstackException.NotFound when there is none
   */
  public Secret secret(String name) {
    return named("Secret", name, () -> api.secrets().get(project, name));
  }

  /** Sets secret {@code name} to {@code value}, creating it if it is new. */
  public Secret setSecret(String name, String value) {
    return api.secrets().createOrUpdate(project, name, value);
  }

  /**
   * Deletes the secrets.
   *
   * @throws DstackException.NotFound when one does not exist (then none is deleted)
   */
  public void deleteSecrets(String... names) {
    api.secrets().delete(project, List.of(names));
  }

  /** Releases the HTTP client; the runs on the server are not affected. */
  @Override
  public void close() {
    api.close();
  }

  // ---- Internals. ----

  Duration maxPollInterval() {
    return maxPollInterval;
  }

  /** {@code get}, whose not-found names what was not found, as dstack's CLI prints it. */
  private <T> T named(String kind, String name, Supplier<T> get) {
    try {
      return get.get();
    } catch (DstackException.NotFound e) {
      throw new DstackException.NotFound(
          kind + " " + name + " not found in project " + project, e.status(), e.url());
    }
  }

  private RunPlan plan(RunSpec spec) {
    // As dstack's CLI: the repo first (the virtual one: runs here carry no code), then the plan.
    api.repos().init(project, SaveRepoCredsRequest.virtual());
    return api.runs().getPlan(project, GetRunPlanRequest.of(spec, 3));
  }

  private RunSpec specOf(Path file) {
    String yaml;
    try {
      yaml = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return RunSpecBuilder.fromYaml(yaml, file.toString(), file.toString(), env);
  }

  @Override
  public String toString() {
    return "Dstack[" + api.url() + ", project " + project + "]";
  }

  /**
   * Settings of a {@link Dstack}. With {@link #url} and {@link #token} it talks to that server;
   * without, it picks the server and token as {@link Dstack#fromConfig()} does.
   */
  public static final class Builder {
    private String url;
    private String token;
    private String project;
    private Path configFile = DstackConfig.defaultFile();
    private Map<String, String> env = System.getenv();
    private RetryPolicy retry = RetryPolicy.DEFAULT;
    private Duration requestTimeout = Duration.ofSeconds(60);
    private Duration maxPollInterval = Duration.ofSeconds(2);

    private Builder() {}

    /** The server's URL (with {@link #token}: the config file is not read). */
    public Builder url(String url) {
      this.url = url;
      return this;
    }

    /** The user's token. */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    /** The project; by default {@code DSTACK_PROJECT}, else the config file's default project. */
    public Builder project(String project) {
      this.project = project;
      return this;
    }

    /** The client config to read instead of {@code ~/.dstack/config.yml}. */
    public Builder configFile(Path configFile) {
      this.configFile = Objects.requireNonNull(configFile, "configFile");
      return this;
    }

    /**
     * The environment to read {@code DSTACK_*} from, and the values of variables a configuration
     * lists without one ({@code env: [HF_TOKEN]}), instead of {@link System#getenv()}.
     */
    public Builder env(Map<String, String> env) {
      this.env = Map.copyOf(env);
      return this;
    }

    /** How calls are retried while the server is unavailable ({@link RetryPolicy#DEFAULT}). */
    public Builder retry(RetryPolicy retry) {
      this.retry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    /** How long one call may take (60 s). */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
      return this;
    }

    /**
     * The longest wait between two polls while following logs or awaiting a run (2 s); waits start
     * at 0.2 s and grow to it while nothing changes.
     */
    public Builder maxPollInterval(Duration maxPollInterval) {
      if (maxPollInterval.isNegative() || maxPollInterval.isZero()) {
        throw new IllegalArgumentException("maxPollInterval must be positive");
      }
      this.maxPollInterval = maxPollInterval;
      return this;
    }

    /**
     * The client.
     *
     * @throws DstackException.NotConfigured when no server, token or project is given or configured
     */
    public Dstack build() {
      ProjectConfig target;
      if (url != null && token != null) {
        if (project == null) {
          throw new DstackException.NotConfigured("The project name is not specified");
        }
        target = new ProjectConfig(project, url, token, false);
      } else if (url != null || token != null) {
        throw new DstackException.NotConfigured(
            "Give both the server URL and the token, or neither");
      } else {
        target = DstackConfig.load(configFile).resolve(project, env);
      }
      var builder =
          DstackApi.builder(target.url(), target.token())
              .retry(retry)
              .requestTimeout(requestTimeout);
      String apiVersion = env.get(DstackApi.API_VERSION_ENV);
      if (apiVersion != null && !apiVersion.isBlank()) {
        builder.apiVersion(apiVersion.strip());
      }
      var api = builder.build();
      return new Dstack(api, target.name(), env, maxPollInterval);
    }
  }
}
