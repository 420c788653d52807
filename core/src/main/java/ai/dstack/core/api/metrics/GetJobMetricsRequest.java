package ai.dstack.core.api.metrics;

import java.time.Instant;
import java.util.UUID;

/**
 * The query of {@code metrics/job/{run_name}}: which job of which run, and which samples.
 *
 * @param runName the run; its newest submission that is not deleted unless {@code runId} is given
 * @param runId the run's id, or null
 * @param replicaNum the job's replica (dstack's default 0)
 * @param jobNum the job's number in the replica (default 0)
 * @param limit at most this many samples, newest first, or null for dstack's default of one
 * @param after only samples taken at or after this time, or null
 * @param before only samples taken before this time, or null
 */
public record GetJobMetricsRequest(
    String runName,
    UUID runId,
    int replicaNum,
    int jobNum,
    Integer limit,
    Instant after,
    Instant before) {

  /** The latest {@code limit} samples of a job of the run {@code runName}. */
  public static GetJobMetricsRequest latest(String runName, int replicaNum, int jobNum, int limit) {
    return new GetJobMetricsRequest(runName, null, replicaNum, jobNum, limit, null, null);
  }
}
