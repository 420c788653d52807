package ai.dstack.core.api.runs;

import ai.dstack.core.runs.wire.Timestamps;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.UUID;

/**
 * The body of {@code runs/list}: newest first unless {@code ascending}, a page at a time.
 *
 * @param projectName only this project's runs (the global {@code /api/runs/list}), or null
 * @param repoId only runs of this repo, or null
 * @param username only this user's runs, or null
 * @param onlyActive only runs neither finished nor deleted
 * @param includeJobs with each run's jobs (dstack's default); without, the runs alone
 * @param jobSubmissionsLimit at most this many submissions per job (the latest), or null for all
 * @param prevSubmittedAt paging: {@code submitted_at} of the last run of the previous page
 * @param prevRunId paging: {@code id} of the last run of the previous page
 * @param limit at most this many runs, up to 100
 * @param ascending oldest first
 */
public record ListRunsRequest(
    String projectName,
    String repoId,
    String username,
    boolean onlyActive,
    boolean includeJobs,
    Integer jobSubmissionsLimit,
    @JsonSerialize(using = Timestamps.Serializer.class)
        @JsonDeserialize(using = Timestamps.Deserializer.class)
        Instant prevSubmittedAt,
    UUID prevRunId,
    int limit,
    boolean ascending) {

  /**
   * What {@code dstack ps} asks: the latest {@code limit} runs with their jobs and each job's
   * latest submission; only active ones when {@code onlyActive}.
   */
  public static ListRunsRequest latest(String projectName, boolean onlyActive, int limit) {
    return new ListRunsRequest(
        projectName, null, null, onlyActive, true, 1, null, null, limit, false);
  }
}
