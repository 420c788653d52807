package ai.dstack.core.runs.wire;

import ai.dstack.core.agents.runner.FileArchiveMapping;
import ai.dstack.core.agents.runner.JobSshKey;
import ai.dstack.core.agents.runner.UnixUser;
import ai.dstack.core.configurations.ProbeConfig;
import ai.dstack.core.configurations.RegistryAuth;
import ai.dstack.core.profiles.BackendOptions;
import ai.dstack.core.profiles.UtilizationPolicy;
import ai.dstack.core.resources.ResourcesSpec;
import ai.dstack.core.runs.JobSpecSummary;
import ai.dstack.core.runs.RetryEvent;
import ai.dstack.core.runs.RetryPolicy;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One job of a run, dstack's {@code JobSpec}: what the server stores per job and returns in {@code
 * Run.jobs[].job_spec} and {@code RunPlan.job_plans[].job_spec}. Field names, order and values are
 * dstack's, so the JSON is what dstack's server would write for the same run spec (see {@link
 * JobSpecs}).
 *
 * @param replicaNum the replica the job belongs to
 * @param jobNum the job's number within its replica: its node rank
 * @param jobName {@code <run_name>-<job_num>-<replica_num>}
 * @param jobsPerReplica how many jobs (nodes) each replica has
 * @param replicaGroup the service replica group, {@code "0"} otherwise
 * @param appSpecs ports the CLI forwards when attached
 * @param user the user to run as, or null for the image's
 * @param commands the whole argv the runner executes
 * @param env the job's environment, secrets not yet interpolated
 * @param homeDir deprecated, as sent ({@code /root} by default)
 * @param imageName the container image
 * @param privileged whether the container is privileged
 * @param singleBranch whether a remote repo is cloned with {@code --single-branch}
 * @param maxDuration seconds the job may run, or null for no limit
 * @param stopDuration seconds a graceful stop may take, or null for no limit
 * @param utilizationPolicy when to stop a job whose GPUs idle, or null
 * @param registryAuth credentials to pull the image, secrets not yet interpolated, or null
 * @param requirements what the job needs of an instance
 * @param retry when to resubmit the job, or null for never
 * @param volumes what is mounted into the container
 * @param sshKey the key pair the nodes of a multi-node replica share, or null
 * @param workingDir the working directory, absolute, or null for the image's
 * @param repoData the run's {@code repo_data}, discriminated by {@code repo_type}
 * @param repoCodeHash the uploaded code to apply, or null
 * @param repoDir where the repo goes in the container
 * @param repoExistsAction {@code error} or {@code skip} when the repo dir is not empty, or null
 *     without a repo
 * @param fileArchives uploaded archives and where they go
 * @param servicePort the port a service listens on, null for other runs
 * @param probes a service's readiness probes
 * @param nodeGroupIndex the task node group the job belongs to
 * @param nodeGroupName that group's name, {@code "0"} without groups
 * @param nodeGroupJobIndex the job's index within its node group
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobSpec(
    int replicaNum,
    int jobNum,
    String jobName,
    int jobsPerReplica,
    String replicaGroup,
    List<AppSpec> appSpecs,
    UnixUser user,
    List<String> commands,
    Map<String, String> env,
    String homeDir,
    String imageName,
    boolean privileged,
    Boolean singleBranch,
    Long maxDuration,
    Long stopDuration,
    UtilizationPolicy utilizationPolicy,
    RegistryAuth registryAuth,
    Requirements requirements,
    Retry retry,
    List<MountPoint> volumes,
    JobSshKey sshKey,
    String workingDir,
    JsonNode repoData,
    String repoCodeHash,
    String repoDir,
    String repoExistsAction,
    List<FileArchiveMapping> fileArchives,
    Integer servicePort,
    List<ProbeSpec> probes,
    int nodeGroupIndex,
    String nodeGroupName,
    int nodeGroupJobIndex) {

  public JobSpec {
    appSpecs = appSpecs == null ? null : List.copyOf(appSpecs);
    commands = List.copyOf(commands);
    env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
    volumes = volumes == null ? null : List.copyOf(volumes);
    repoData = repoData == null || repoData.isNull() ? null : repoData.deepCopy();
    fileArchives = fileArchives == null ? List.of() : List.copyOf(fileArchives);
    probes = probes == null ? List.of() : List.copyOf(probes);
    replicaGroup = replicaGroup == null ? Groups.DEFAULT_NAME : replicaGroup;
    nodeGroupName = nodeGroupName == null ? Groups.DEFAULT_NAME : nodeGroupName;
    repoDir = repoDir == null ? JobSpecs.LEGACY_REPO_DIR : repoDir;
  }

  /** A copy of {@code repo_data} (the record keeps its own). */
  @Override
  public JsonNode repoData() {
    return repoData == null ? null : repoData.deepCopy();
  }

  /** The spec without its SSH key, as the API returns job specs. */
  public JobSpec withoutSshKey() {
    return withSshKey(null);
  }

  /** The spec with another multi-node key pair. */
  public JobSpec withSshKey(JobSshKey key) {
    return new JobSpec(
        replicaNum,
        jobNum,
        jobName,
        jobsPerReplica,
        replicaGroup,
        appSpecs,
        user,
        commands,
        env,
        homeDir,
        imageName,
        privileged,
        singleBranch,
        maxDuration,
        stopDuration,
        utilizationPolicy,
        registryAuth,
        requirements,
        retry,
        volumes,
        key,
        workingDir,
        repoData,
        repoCodeHash,
        repoDir,
        repoExistsAction,
        fileArchives,
        servicePort,
        probes,
        nodeGroupIndex,
        nodeGroupName,
        nodeGroupJobIndex);
  }

  /** What the workflows need of this spec. */
  public JobSpecSummary toSummary() {
    return new JobSpecSummary(
        jobName,
        replicaNum,
        jobNum,
        jobsPerReplica,
        imageName,
        maxDuration,
        stopDuration,
        retry == null ? null : new RetryPolicy(retry.onEvents(), retry.duration()),
        PrettyResources.requirements(requirements));
  }

  /**
   * A port the CLI forwards to the job when attached.
   *
   * @param port the container port
   * @param mapToPort the local port, or null for the same number if free
   * @param appName {@code app_<i>}
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record AppSpec(
      int port,
      Integer mapToPort,
      String appName,
      String urlPath,
      Map<String, String> urlQueryParams) {}

  /**
   * What a job needs of an instance, dstack's {@code Requirements}.
   *
   * @param resources the resources, the CPU architecture resolved from the image where it can be
   * @param maxPrice dollars per hour, or null for no limit
   * @param spot true for spot only, false for on-demand only, null for either
   * @param reservation a reservation to provision from, or null
   * @param multinode whether the job's replica has several nodes
   * @param backendOptions per-backend offer options, or null
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Requirements(
      ResourcesSpec resources,
      Double maxPrice,
      Boolean spot,
      String reservation,
      Boolean multinode,
      List<BackendOptions> backendOptions) {

    /** As dstack prints them, e.g. {@code cpu=x86:2.. mem=8GB.. disk=100GB.. gpu=A100:1}. */
    public String describe() {
      return PrettyResources.requirements(this);
    }
  }

  /** A resolved retry policy, dstack's {@code Retry}: the events and for how many seconds. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Retry(List<RetryEvent> onEvents, long duration) {
    public Retry {
      onEvents = List.copyOf(onEvents);
    }
  }

  /** A service readiness probe with every default filled in, dstack's {@code ProbeSpec}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ProbeSpec(
      String type,
      String url,
      String method,
      List<ProbeConfig.Header> headers,
      String body,
      long timeout,
      long interval,
      long readyAfter,
      boolean untilReady) {
    public ProbeSpec {
      headers = headers == null ? List.of() : List.copyOf(headers);
    }
  }

  /** Something mounted into the job's container. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION)
  @JsonSubTypes({
    @JsonSubTypes.Type(VolumeMountPoint.class),
    @JsonSubTypes.Type(InstanceMountPoint.class)
  })
  public sealed interface MountPoint {
    /** The absolute path in the container. */
    String path();
  }

  /**
   * A network volume: the first of {@code name} that can be attached where the job runs, {@code ${{
   * dstack.node_rank }}} filled in.
   */
  public record VolumeMountPoint(List<String> name, String path) implements MountPoint {
    public VolumeMountPoint {
      name = List.copyOf(name);
    }
  }

  /** A directory of the instance; {@code optional} where instance volumes are not supported. */
  public record InstanceMountPoint(String instancePath, String path, boolean optional)
      implements MountPoint {}
}
