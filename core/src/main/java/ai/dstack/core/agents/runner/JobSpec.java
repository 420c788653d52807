package ai.dstack.core.agents.runner;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fields of dstack's {@code JobSpec} the runner reads: what to run, as whom, where and for how
 * long.
 *
 * <p>{@code commands} is the whole argv, as dstack's server sends it (e.g. {@code ["/bin/sh", "-i",
 * "-c", "a && b"]}, see {@link ShellCommand}), appended to {@code entrypoint} when one is set. Two
 * fields extend dstack's runner protocol, and a dstack server never sends them: {@code shell}, when
 * set, makes {@code commands} shell commands the runner joins with {@code &&} and runs with that
 * shell ({@link ShellCommand#argv}); {@code stop_duration} (a field of dstack's JobSpec the runner
 * is not sent) is how long a stop waits between SIGTERM and SIGKILL.
 *
 * @param replicaNum the replica this job belongs to
 * @param jobNum the node rank within the replica ({@code DSTACK_NODE_RANK})
 * @param jobsPerReplica the node count ({@code DSTACK_NODES_NUM}); 1 when absent
 * @param user the OS user to run as; {@code null}: the runner's own user
 * @param commands the argv (or, with {@code shell}, the shell commands)
 * @param entrypoint an argv prefix, docker-like; {@code null} when absent
 * @param env the job's environment variables, over the runner's own and the {@code DSTACK_*} ones
 * @param shell extension: run {@code commands} as {@code shell -c 'cmd1 && cmd2'}; {@code sh},
 *     {@code bash} or an absolute path
 * @param singleBranch whether a remote repo is cloned with {@code --single-branch}
 * @param maxDuration seconds after which the job is terminated ({@code max_duration_exceeded});
 *     {@code null} or 0: no limit
 * @param stopDuration extension: seconds between SIGTERM and SIGKILL on stop; {@code null}: the
 *     runner's default
 * @param sshKey the key pair of a multi-node job
 * @param workingDir the job's working dir; {@code ~} is the user's home; {@code null}: the runner's
 *     own working dir (the image's {@code WORKDIR})
 * @param repoDir where the repo goes; relative to the working dir; {@code null}: the runner's
 *     default
 * @param repoData the repo; {@code null}: {@link SubmitBody.RunSpec#repoData()} (old servers)
 * @param repoExistsAction what to do when the repo dir is not empty; {@code null}: skip
 * @param fileArchives the uploaded archives and where they go
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobSpec(
    int replicaNum,
    int jobNum,
    Integer jobsPerReplica,
    UnixUser user,
    List<String> commands,
    List<String> entrypoint,
    Map<String, String> env,
    String shell,
    Boolean singleBranch,
    Integer maxDuration,
    Integer stopDuration,
    JobSshKey sshKey,
    String workingDir,
    String repoDir,
    RepoData repoData,
    RepoExistsAction repoExistsAction,
    List<FileArchiveMapping> fileArchives) {
  public JobSpec {
    jobsPerReplica = jobsPerReplica == null ? 1 : jobsPerReplica;
    commands = commands == null ? List.of() : List.copyOf(commands);
    entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
    env = env == null ? Map.of() : Map.copyOf(env);
    fileArchives = fileArchives == null ? List.of() : List.copyOf(fileArchives);
  }

  /** A job that runs {@code commands} with {@code shell}, all else absent: for tests and tools. */
  public static JobSpec ofShellCommands(String shell, List<String> commands) {
    return new JobSpec(
        0, 0, 1, null, commands, null, Map.of(), shell, null, null, null, null, null, null, null,
        null, List.of());
  }

  /**
   * The argv to execute: {@code shell -c 'joined commands'} when {@code shell} is set, else {@code
   * entrypoint + commands}.
   */
  public List<String> argv() {
    if (shell != null) {
      return ShellCommand.argv(shell, commands);
    }
    if (entrypoint == null || entrypoint.isEmpty()) {
      return commands;
    }
    var argv = new ArrayList<>(entrypoint);
    argv.addAll(commands);
    return List.copyOf(argv);
  }
}
