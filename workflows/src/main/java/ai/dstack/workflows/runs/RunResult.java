package ai.dstack.workflows.runs;

import ai.dstack.core.runs.RunStatus;
import ai.dstack.core.runs.RunTerminationReason;
import ai.dstack.workflows.jobs.JobResult;
import java.util.List;
import java.util.UUID;

/**
 * How a run ended.
 *
 * @param runId the run
 * @param status done, failed or terminated
 * @param terminationReason why
 * @param error the reason's error, or null
 * @param submissions every job submission, in the order they were made
 */
public record RunResult(
    UUID runId,
    RunStatus status,
    RunTerminationReason terminationReason,
    String error,
    List<JobResult> submissions) {

  public RunResult {
    submissions = List.copyOf(submissions);
  }
}
