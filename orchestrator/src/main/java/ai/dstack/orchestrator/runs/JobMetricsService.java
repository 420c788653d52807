package ai.dstack.orchestrator.runs;

import ai.dstack.core.api.metrics.JobMetrics;
import ai.dstack.core.runs.wire.Timestamps;
import ai.dstack.orchestrator.api.ApiException;
import ai.dstack.orchestrator.auth.Caller;
import ai.dstack.orchestrator.projects.ProjectAccess;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * dstack's {@code metrics/job}: a job's samples as {@link JobMetrics}. The job is the latest
 * submission of job {@code job_num} of replica {@code replica_num} of the run (the newest of that
 * name not deleted, unless its id is given); by default the one latest point.
 */
@Service
class JobMetricsService {
  private static final String NO_JOB = "Found no job with given parameters";

  private final ProjectAccess access;
  private final RunStore runs;
  private final StoredValues stored;
  private final JobMetricsPoints points;

  JobMetricsService(
      ProjectAccess access, RunStore runs, StoredValues stored, JobMetricsPoints points) {
    this.access = access;
    this.runs = runs;
    this.stored = stored;
    this.points = points;
  }

  /** The job's metrics, as the query parameters of the request ask. */
  JobMetrics jobMetrics(
      Caller caller, String projectName, String runName, Map<String, String> query) {
    var project = access.member(caller, projectName);
    var runIdText = query.get("run_id");
    UUID runId = runIdText == null ? null : RunsService.uuid("run_id", runIdText);
    int replicaNum = integer(query, "replica_num", 0);
    int jobNum = integer(query, "job_num", 0);
    int limit = integer(query, "limit", 1);
    if (limit < 0) {
      throw ApiException.badRequest("limit must not be negative, got " + limit);
    }
    var after = instant(query, "after");
    var before = instant(query, "before");
    var run =
        (runId != null ? runs.byId(project.id(), runId) : runs.byName(project.id(), runName))
            .filter(r -> r.runName().equals(runName))
            .orElseThrow(() -> ApiException.resourceNotExists(NO_JOB));
    if (runs.jobSpec(run.id(), replicaNum, jobNum).isEmpty()) {
      throw ApiException.resourceNotExists(NO_JOB);
    }
    var latest =
        runs.submissions(List.of(run.id())).getOrDefault(run.id(), List.of()).stream()
            .filter(s -> s.replicaNum() == replicaNum && s.jobNum() == jobNum)
            .max(Comparator.comparingInt(SubmissionRow::submissionNum));
    if (latest.isEmpty()) {
      // Submitted, and its workflow has not reported yet: no sample can exist.
      return new JobMetrics(List.of());
    }
    var submission = latest.get();
    // One more than asked: the oldest point only serves the CPU use of the one after it.
    var samples = points.newestFirst(submission.id(), after, before, limit + 1);
    var offer = stored.offer(submission.offer());
    return JobMetricsView.of(samples, offer == null ? null : offer.resources());
  }

  private static int integer(Map<String, String> query, String name, int fallback) {
    var text = query.get(name);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " must be a whole number, got " + text);
    }
  }

  private static Instant instant(Map<String, String> query, String name) {
    var text = query.get(name);
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Timestamps.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(
          name + " must be a date-time such as 2026-01-02T03:04:05+00:00, got " + text);
    }
  }
}
