package ai.dstack.runner;

import ai.dstack.core.agents.runner.ClusterInfo;
import ai.dstack.core.agents.runner.SubmitBody;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The job's environment: the runner's own, then dstack's {@code DSTACK_*} variables, the secrets
 * and the job's {@code env}, each over the ones before; and the files they point at.
 */
final class JobEnvironment {
  private JobEnvironment() {}

  /** dstack's variables for the job, by name. */
  static Map<String, String> dstackVariables(
      SubmitBody body, Path repoDir, Path workingDir, Path mpiHostfile) {
    var spec = body.jobSpec();
    ClusterInfo cluster =
        body.clusterInfo() != null ? body.clusterInfo() : ClusterInfo.singleNode();
    SubmitBody.RunSpec runSpec = body.effectiveRunSpec();
    int nodesNum = spec.jobsPerReplica();
    int gpusNum =
        cluster.gpusPerNode().isEmpty()
            ? nodesNum * cluster.gpusPerJob()
            : cluster.gpusPerNode().stream().mapToInt(Integer::intValue).sum();
    var vars = new LinkedHashMap<String, String>();
    vars.put("DSTACK_RUN_ID", body.run() != null && body.run().id() != null ? body.run().id() : "");
    vars.put(
        "DSTACK_JOB_ID",
        body.jobSubmission() != null && body.jobSubmission().id() != null
            ? body.jobSubmission().id()
            : "");
    vars.put(
        "DSTACK_RUN_NAME", runSpec != null && runSpec.runName() != null ? runSpec.runName() : "");
    vars.put("DSTACK_REPO_ID", runSpec != null && runSpec.repoId() != null ? runSpec.repoId() : "");
    vars.put("DSTACK_REPO_DIR", repoDir.toString());
    vars.put("DSTACK_WORKING_DIR", workingDir.toString());
    vars.put("DSTACK_NODES_IPS", String.join("\n", cluster.jobIps()));
    vars.put("DSTACK_MASTER_NODE_IP", cluster.masterJobIp());
    vars.put("DSTACK_NODE_RANK", String.valueOf(spec.jobNum()));
    vars.put("DSTACK_NODES_NUM", String.valueOf(nodesNum));
    vars.put("DSTACK_GPUS_PER_NODE", String.valueOf(cluster.gpusPerJob()));
    vars.put("DSTACK_GPUS_NUM", String.valueOf(gpusNum));
    vars.put("DSTACK_MPI_HOSTFILE", mpiHostfile.toString());
    return vars;
  }

  /**
   * The whole environment: {@code inherited}, the {@code dstack} variables, the secrets, the job's
   * {@code env}; minus exported Bash functions (dstack drops them too); {@code HOME} the job
   * user's.
   */
  static Map<String, String> build(
      Map<String, String> inherited, Map<String, String> dstack, SubmitBody body, Path home) {
    var env = new TreeMap<String, String>(inherited);
    // Output goes to a pipe, where Python would buffer it for kilobytes: the job's logs would lag.
    env.putIfAbsent("PYTHONUNBUFFERED", "1");
    env.putAll(dstack);
    env.putAll(body.secrets());
    env.putAll(body.jobSpec().env());
    env.keySet().removeIf(JobEnvironment::isBashFunction);
    env.put("HOME", home.toString());
    return env;
  }

  /**
   * Writes the MPI hostfile: one line per node, {@code IP slots=GPUS} ({@code IP} alone for a node
   * without GPUs); empty when some node has no IP yet.
   */
  static void writeMpiHostfile(ClusterInfo cluster, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    List<String> ips = cluster.jobIps();
    var lines = new ArrayList<String>();
    if (ips.stream().noneMatch(String::isEmpty)) {
      List<Integer> slots = cluster.gpusPerNode();
      if (slots.isEmpty()) {
        slots = ips.stream().map(ip -> cluster.gpusPerJob()).toList();
      }
      if (slots.size() != ips.size()) {
        throw new IOException(
            "gpus_per_node has " + slots.size() + " entries for " + ips.size() + " job_ips");
      }
      for (int i = 0; i < ips.size(); i++) {
        lines.add(slots.get(i) == 0 ? ips.get(i) : ips.get(i) + " slots=" + slots.get(i));
      }
    }
    Files.write(file, lines);
  }

  /**
   * Writes a profile that exports the job's environment and enters its working dir, for shells
   * opened into the container later (dstack's {@code /dstack/profile}).
   */
  static void writeProfile(Map<String, String> env, Path file) throws IOException {
    var lines = new ArrayList<String>();
    for (var entry : env.entrySet()) {
      String name = entry.getKey();
      if (List.of("HOSTNAME", "USER", "HOME", "SHELL", "SHLVL", "PWD", "_").contains(name)
          || !isShellIdentifier(name)) {
        continue;
      }
      lines.add("export " + name + "='" + entry.getValue().replace("'", "'\"'\"'") + "'");
    }
    lines.add("cd \"$DSTACK_WORKING_DIR\"");
    Files.createDirectories(file.getParent());
    Files.write(file, lines);
  }

  static boolean isBashFunction(String name) {
    return name.startsWith("BASH_FUNC_") && (name.endsWith("%%") || name.endsWith("()"));
  }

  static boolean isShellIdentifier(String name) {
    return name.matches("[A-Za-z_][A-Za-z0-9_]*");
  }
}
