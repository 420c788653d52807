package ai.dstack.workflows.runs;

import ai.dstack.core.runs.JobSpecSummary;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A submitted run.
 *
 * @param runId the run's id
 * @param runName its name
 * @param project its project
 * @param user who submitted it
 * @param fleetName the fleet it is placed on
 * @param fleetWorkflowId that fleet's workflow
 * @param priority its priority (0 to 100, higher first in the fleet's queue)
 * @param submittedAt when it was submitted (its place in the queue, and the start of a no-capacity
 *     retry window)
 * @param jobs its jobs, one per replica and node, in order
 */
public record RunInput(
    UUID runId,
    String runName,
    String project,
    String user,
    String fleetName,
    String fleetWorkflowId,
    int priority,
    Instant submittedAt,
    List<JobSpecSummary> jobs) {

  public RunInput {
    jobs = List.copyOf(jobs);
    if (jobs.isEmpty()) {
      throw new IllegalArgumentException("a run has at least one job");
    }
  }
}
