package ai.dstack.core.runs.wire;

import ai.dstack.core.agents.runner.ClusterInfo;
import ai.dstack.core.agents.runner.RepoCredentials;
import ai.dstack.core.agents.runner.RepoData;
import ai.dstack.core.agents.runner.RepoExistsAction;
import ai.dstack.core.agents.runner.SubmitBody;
import ai.dstack.core.agents.shim.InstanceMountPoint;
import ai.dstack.core.agents.shim.NetworkMode;
import ai.dstack.core.agents.shim.ShimVolumeInfo;
import ai.dstack.core.agents.shim.TaskSubmitRequest;
import ai.dstack.core.agents.shim.VolumeMountPoint;
import ai.dstack.core.configurations.TaskConfiguration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The requests the server sends the agents for a job, as dstack's server builds them: the shim's
 * task ({@code POST /api/tasks}, {@code process_running_jobs}' {@code
 * _process_provisioning_with_shim}) and the runner's submission ({@code POST /api/submit}, {@code
 * RunnerClient.submit_job}). Secrets are filled into the job's environment and registry credentials
 * here, on the server, as dstack does; the runner gets no secrets.
 */
public final class AgentRequests {
  private AgentRequests() {}

  /** dstack's default cap on a job's output: 50 MB an hour ({@code DSTACK_SERVER_LOG_QUOTA...}). */
  public static final long LOG_QUOTA_PER_JOB_HOUR = 50L * 1024 * 1024;

  private static final long GB = 1024L * 1024 * 1024;
  private static final Pattern NODES_REF =
      Pattern.compile(
          "(?<!\\$)\\$\\{\\{\\s*groups\\[(\\d+)\\]\\.nodes\\[(\\d+)\\]\\.IP_ADDRESS\\s*\\}\\}");
  private static final Pattern REPLICAS_REF =
      Pattern.compile("(?<!\\$)\\$\\{\\{\\s*groups\\[\\d+\\]\\.replicas\\[\\d+\\]\\.IP_ADDRESS");

  /**
   * Who may reach the job over SSH.
   *
   * @param projectPublicKey the project's key, which the server itself connects with
   * @param userPublicKey the run's {@code ssh_key_pub}
   * @param proxyEnforced whether users may only come through the SSH proxy ({@code
   *     DSTACK_SERVER_SSHPROXY_ENFORCED}): then the user's key is put on neither host nor container
   */
  public record SshAccess(String projectPublicKey, String userPublicKey, boolean proxyEnforced) {}

  /**
   * The job's runtime data when it is placed on {@code offer} (dstack's {@code
   * _prepare_job_runtime_data}, with its default network mode {@code HOST_WHEN_POSSIBLE}): the host
   * network and the whole instance when the offer takes all of it, else a bridge network and the
   * offer's share of CPUs, GPUs and memory.
   */
  public static JobRuntimeData jobRuntimeData(InstanceOfferWithAvailability offer) {
    if (offer.blocks() == offer.totalBlocks()) {
      return new JobRuntimeData(NetworkMode.HOST, null, null, null, null, null, offer, null, null);
    }
    var resources = offer.instance().resources();
    return new JobRuntimeData(
        NetworkMode.BRIDGE,
        resources.gpus().size(),
        (double) resources.cpus(),
        resources.memoryMib() / 1024.0,
        null,
        null,
        offer,
        null,
        null);
  }

  /**
   * The shim task that starts the job's container.
   *
   * @param jobSpec the job's stored spec
   * @param taskId the job submission's id
   * @param provisioning where the submission was placed
   * @param runtime the submission's runtime data, or null (the whole host, its network)
   * @param volumes the network volumes attached for the job, in its mount points' order
   * @param secrets the project's secrets, for {@code ${{ secrets.NAME }}} in the registry
   *     credentials
   * @param runnerPort ours: the port the runner listens on, 0 for the shim's default
   * @throws InvalidRunSpecException when the registry credentials name an unknown secret
   */
  public static TaskSubmitRequest shimTask(
      JobSpec jobSpec,
      UUID taskId,
      JobProvisioningData provisioning,
      JobRuntimeData runtime,
      List<ShimVolumeInfo> volumes,
      SshAccess ssh,
      Map<String, String> secrets,
      int runnerPort) {
    var username = "";
    var password = "";
    if (jobSpec.registryAuth() != null) {
      var interpolator = new Interpolator(Map.of("secrets", secrets));
      username = interpolator.interpolate(jobSpec.registryAuth().username());
      password = interpolator.interpolate(jobSpec.registryAuth().password());
    }
    var volumeMounts = new ArrayList<VolumeMountPoint>();
    var instanceMounts = new ArrayList<InstanceMountPoint>();
    for (var mount :
        jobSpec.volumes() == null ? List.<JobSpec.MountPoint>of() : jobSpec.volumes()) {
      switch (mount) {
        case JobSpec.VolumeMountPoint v -> {
          var index = volumeMounts.size();
          // The attached volume is the one of the mount point's names that matched the instance.
          var name = index < volumes.size() ? volumes.get(index).name() : v.name().getFirst();
          volumeMounts.add(new VolumeMountPoint(name, v.path()));
        }
        case JobSpec.InstanceMountPoint i ->
            instanceMounts.add(new InstanceMountPoint(i.instancePath(), i.path(), i.optional()));
      }
    }
    var userKey = ssh.userPublicKey() == null ? null : ssh.userPublicKey().strip();
    var containerKeys = new ArrayList<String>();
    containerKeys.add(ssh.projectPublicKey().strip());
    if (!ssh.proxyEnforced() && userKey != null) {
      containerKeys.add(userKey);
    }
    var hostUser = ssh.proxyEnforced() ? "" : provisioning.username();
    var hostKeys = ssh.proxyEnforced() || userKey == null ? List.<String>of() : List.of(userKey);
    var shm = jobSpec.requirements().resources().shmSize();
    return new TaskSubmitRequest(
        taskId.toString(),
        jobSpec.jobName(),
        username,
        password,
        jobSpec.imageName(),
        "root",
        jobSpec.privileged(),
        runtime == null || runtime.gpu() == null ? TaskSubmitRequest.ALL_GPUS : runtime.gpu(),
        runtime == null || runtime.cpu() == null ? 0 : runtime.cpu(),
        runtime == null || runtime.memory() == null ? 0 : (long) (runtime.memory() * GB),
        shm == null ? 0 : (long) (shm * GB),
        runtime == null ? NetworkMode.HOST : runtime.networkMode(),
        volumes,
        volumeMounts,
        instanceMounts,
        List.of(),
        hostUser,
        hostKeys,
        containerKeys,
        runnerPort);
  }

  /**
   * What the runner is sent to run the job, as dstack's {@code RunnerClient.submit_job} builds it.
   * The job's environment is the instance's (SSH fleet hosts' {@code env}), overridden by the job's
   * with secrets filled in, plus {@code DSTACK_PROJECT} for runs with {@code dstack: true}; task
   * commands get the nodes' addresses for {@code ${{ groups[i].nodes[j].IP_ADDRESS }}}.
   *
   * @param runSpec the run's stored spec
   * @param jobSpec the job's stored spec, with its SSH key
   * @param submissionId the job submission's id
   * @param clusterInfo the replica's nodes (their internal IPs by job number)
   * @param secrets the project's secrets, for {@code ${{ secrets.NAME }}} in the environment
   * @param repoCredentials how to clone a remote repo, or null
   * @param instanceEnv the instance's environment, or an empty map
   * @param logQuotaHour the most bytes of output an hour, or null for no limit
   * @throws InvalidRunSpecException when the environment names an unknown secret, or commands refer
   *     to a service replica's address (not supported yet)
   * @throws IllegalStateException when a node the commands refer to has no address yet
   */
  public static SubmitBody runnerSubmit(
      UUID runId,
      String projectName,
      RunSpec runSpec,
      JobSpec jobSpec,
      UUID submissionId,
      ClusterInfo clusterInfo,
      Map<String, String> secrets,
      RepoCredentials repoCredentials,
      Map<String, String> instanceEnv,
      Long logQuotaHour) {
    var interpolator = new Interpolator(Map.of("secrets", secrets));
    var env = new LinkedHashMap<>(instanceEnv);
    jobSpec.env().forEach((name, value) -> env.put(name, interpolator.interpolate(value)));
    if (runSpec.params().dstack()) {
      env.putIfAbsent("DSTACK_PROJECT", projectName);
    }
    var commands = groupsSubstituted(runSpec, jobSpec.commands(), clusterInfo);
    var repoData = runnerRepoData(jobSpec);
    var runnerJob =
        new ai.dstack.core.agents.runner.JobSpec(
            jobSpec.replicaNum(),
            jobSpec.jobNum(),
            jobSpec.jobsPerReplica(),
            jobSpec.user(),
            commands,
            null,
            env,
            null,
            jobSpec.singleBranch(),
            jobSpec.maxDuration() == null ? null : Math.toIntExact(jobSpec.maxDuration()),
            jobSpec.stopDuration() == null ? null : Math.toIntExact(jobSpec.stopDuration()),
            jobSpec.sshKey(),
            jobSpec.workingDir(),
            jobSpec.repoDir(),
            repoData,
            jobSpec.repoExistsAction() == null
                ? null
                : jobSpec.repoExistsAction().equals("skip")
                    ? RepoExistsAction.SKIP
                    : RepoExistsAction.ERROR,
            jobSpec.fileArchives());
    var spec =
        new SubmitBody.RunSpec(
            runSpec.runName(),
            runSpec.repoId(),
            repoData,
            new SubmitBody.Configuration(runSpec.type()),
            runSpec.configurationPath());
    return new SubmitBody(
        new SubmitBody.Run(runId.toString(), spec),
        runnerJob,
        new SubmitBody.JobSubmission(submissionId.toString()),
        clusterInfo,
        Map.of(), // secrets are filled in here, not by the runner
        repoCredentials,
        logQuotaHour == null || logQuotaHour <= 0 ? null : logQuotaHour,
        spec);
  }

  private static RepoData runnerRepoData(JobSpec jobSpec) {
    var data = jobSpec.repoData();
    if (data == null) {
      return null;
    }
    return new RepoData(
        text(data, "repo_type"),
        text(data, "repo_branch"),
        text(data, "repo_hash"),
        text(data, "repo_config_name"),
        text(data, "repo_config_email"));
  }

  private static String text(com.fasterxml.jackson.databind.JsonNode node, String field) {
    var value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  /** dstack's {@code _substitute_groups_ip_refs} for task nodes. */
  private static List<String> groupsSubstituted(
      RunSpec runSpec, List<String> commands, ClusterInfo clusterInfo) {
    if (commands.stream().anyMatch(c -> REPLICAS_REF.matcher(c).find())) {
      throw new InvalidRunSpecException(
          "references to service replicas' addresses are not supported yet");
    }
    if (!(runSpec.configuration() instanceof TaskConfiguration task)
        || commands.stream().noneMatch(c -> NODES_REF.matcher(c).find())) {
      return commands;
    }
    var groups = Groups.nodeGroups(task);
    var out = new ArrayList<String>();
    for (var command : commands) {
      var matcher = NODES_REF.matcher(command);
      var text = new StringBuilder();
      while (matcher.find()) {
        int group = Integer.parseInt(matcher.group(1));
        int index = Integer.parseInt(matcher.group(2));
        if (group >= groups.size() || index >= groups.get(group).nodes()) {
          throw new InvalidRunSpecException(
              "Invalid reference groups["
                  + group
                  + "].nodes["
                  + index
                  + "].IP_ADDRESS: out of range");
        }
        long jobNum = index;
        for (int g = 0; g < group; g++) {
          jobNum += groups.get(g).nodes();
        }
        var ips = clusterInfo.jobIps();
        var ip = jobNum < ips.size() ? ips.get((int) jobNum) : "";
        if (ip.isEmpty()) {
          throw new IllegalStateException(
              "IP not available for groups[" + group + "].nodes[" + index + "].IP_ADDRESS");
        }
        matcher.appendReplacement(text, java.util.regex.Matcher.quoteReplacement(ip));
      }
      matcher.appendTail(text);
      out.add(text.toString());
    }
    return out;
  }
}
