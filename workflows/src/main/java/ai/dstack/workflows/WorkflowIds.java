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
}
