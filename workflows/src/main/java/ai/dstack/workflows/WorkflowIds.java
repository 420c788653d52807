package ai.dstack.workflows;

import java.util.UUID;

/**
 * The workflow ids: meaningful, so an operator finds a run, a job or a fleet in the Temporal Web UI
 * by typing its project and name.
 */
public final class WorkflowIds {
  private WorkflowIds() {}

  /** {@code run/<project>/<run-name>/<run-id>}: run names are reused once a run is deleted. */
  public static String run(String project, String runName, UUID runId) {
    return "run/" + project + "/" + runName + "/" + runId;
  }

  /**
   * {@code <run workflow id>/job/<replica>-<job>/<submission>}: one workflow per submission of a
   * job.
   */
  public static String job(String runWorkflowId, int replicaNum, int jobNum, int submissionNum) {
    return runWorkflowId + "/job/" + replicaNum + "-" + jobNum + "/" + submissionNum;
  }

  /** {@code fleet/<project>/<fleet-name>}: one long-lived workflow per fleet. */
  public static String fleet(String project, String fleetName) {
    return "fleet/" + project + "/" + fleetName;
  }

  /**
   * The id of a job's first submission, known before its workflow runs: the server shows it from
   * the moment the run is applied, and the run workflow gives the submission the same id. A mix of
   * the run's id and the job's numbers (no message digest: its first use loads providers, too slow
   * for a workflow thread).
   */
  public static UUID firstSubmission(UUID runId, int replicaNum, int jobNum) {
    long numbers = ((long) replicaNum << 32) | (jobNum & 0xFFFFFFFFL);
    return version4(
        new UUID(
            mix(runId.getMostSignificantBits() ^ mix(numbers)),
            mix(runId.getLeastSignificantBits() ^ mix(~numbers))));
  }

  /** SplitMix64's finalizer: every input bit moves about half of the output bits. */
  private static long mix(long value) {
    long z = value + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * A deterministic random id with version 4's bits: {@code Workflow.randomUUID()} gives version 3
   * ids, and dstack's clients accept only version 4 ones for job submissions.
   */
  public static UUID version4(UUID random) {
    long high = (random.getMostSignificantBits() & ~0xF000L) | 0x4000L;
    long low = (random.getLeastSignificantBits() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low);
  }
}
