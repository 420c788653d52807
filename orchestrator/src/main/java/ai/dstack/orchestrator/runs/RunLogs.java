package ai.dstack.orchestrator.runs;

import ai.dstack.activities.logs.JobLog;
import ai.dstack.activities.logs.LogProducer;
import ai.dstack.activities.logs.LogQuery;
import ai.dstack.activities.logs.LogStore;
import ai.dstack.core.runs.wire.Timestamps;
import ai.dstack.orchestrator.api.ApiException;
import ai.dstack.orchestrator.auth.Caller;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * {@code logs/poll}: a job submission's job or runner log, a page at a time, as dstack serves it.
 */
@Service
class RunLogs {
  /** dstack's most events per page. */
  static final int MAX_LIMIT = 1000;

  private final RunsService runs;
  private final LogStore store;

  RunLogs(RunsService runs, LogStore store) {
    this.runs = runs;
    this.store = store;
  }

  /**
   * dstack's {@code JobSubmissionLogs}.
   *
   * @param logs the page's events
   * @param externalUrl where else the logs are (never, here)
   * @param nextToken the token of the next page, or null at the end
   */
  record JobSubmissionLogs(List<Event> logs, String externalUrl, String nextToken) {}

  /**
   * One log event.
   *
   * @param timestamp when the runner read it
   * @param logSource {@code stdout} (the runner merges the job's streams)
   * @param message the raw bytes, base64
   */
  record Event(String timestamp, String logSource, String message) {}

  JobSubmissionLogs poll(Caller caller, String projectName, JsonNode request) {
    var runName = request.path("run_name").asText(null);
    if (runName == null) {
      throw ApiException.badRequest("run_name is required");
    }
    var run = runs.runFor(caller, projectName, runName);
    var submissionIdText = request.path("job_submission_id").asText(null);
    if (submissionIdText == null) {
      throw ApiException.badRequest("job_submission_id is required");
    }
    var submissionId = RunsService.uuid("job_submission_id", submissionIdText);
    var known = runs.submissionsOf(run).stream().anyMatch(s -> s.id().equals(submissionId));
    if (!known) {
      // Not reported by its workflow yet (or not of this run): nothing logged so far.
      return new JobSubmissionLogs(List.of(), null, null);
    }
    int limit = request.path("limit").asInt(MAX_LIMIT);
    if (limit < 0 || limit > MAX_LIMIT) {
      throw ApiException.badRequest("limit must be between 0 and " + MAX_LIMIT + ", got " + limit);
    }
    if (limit == 0) {
      return new JobSubmissionLogs(List.of(), null, null);
    }
    var producer = request.path("diagnose").asBoolean(false) ? LogProducer.RUNNER : LogProducer.JOB;
    var query =
        new LogQuery(
            instant(request, "start_time"),
            instant(request, "end_time"),
            request.path("descending").asBoolean(false),
            request.path("next_token").isTextual() ? request.path("next_token").asText() : null,
            limit);
    try {
      var page =
          store.poll(new JobLog(run.projectName(), run.runName(), submissionId, producer), query);
      var encoder = Base64.getEncoder();
      var events =
          page.events().stream()
              .map(
                  e ->
                      new Event(
                          Timestamps.format(Instant.ofEpochMilli(e.timestamp())),
                          "stdout",
                          encoder.encodeToString(e.message())))
              .toList();
      return new JobSubmissionLogs(events, null, page.nextToken());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private static Instant instant(JsonNode request, String field) {
    var value = request.path(field);
    if (!value.isTextual()) {
      return null;
    }
    try {
      return Timestamps.parse(value.asText());
    } catch (RuntimeException e) {
      throw ApiException.badRequest(field + " is not a date-time: " + value.asText());
    }
  }
}
