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
   * A deterministic random id with version 4's bits: {@code Workflow.randomUUID()} gives version 3
   * ids, and dstack's clients accept only version 4 ones for job submissions.
   */
  public static UUID version4(UUID random) {
    long high = (random.getMostSignificantBits() & ~0xF000L) | 0x4000L;
    long low = (random.getLeastSignificantBits() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low);
  }
}
