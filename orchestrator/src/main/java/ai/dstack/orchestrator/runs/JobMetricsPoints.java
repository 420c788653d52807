package ai.dstack.orchestrator.runs;

import ai.dstack.activities.metrics.JobMetricsStore;
import ai.dstack.core.agents.runner.MetricsResponse;
import ai.dstack.core.runs.JobStatus;
import ai.dstack.orchestrator.persistence.SqlValues;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;

/**
 * The samples of running jobs' resource use ({@code job_metrics_points}): written by the follow
 * activity, read by {@code metrics/job}, and deleted as dstack deletes them: a running job's after
 * {@code DSTACK_SERVER_METRICS_RUNNING_TTL_SECONDS}, a finished job's after {@code
 * DSTACK_SERVER_METRICS_FINISHED_TTL_SECONDS} (checked every minute).
 */
@Repository
class JobMetricsPoints implements JobMetricsStore {
  private static final Logger log = LoggerFactory.getLogger(JobMetricsPoints.class);

  private static final List<String> FINISHED =
      Arrays.stream(JobStatus.values())
          .filter(JobStatus::isFinished)
          .map(JobStatus::value)
          .toList();

  private final NamedParameterJdbcOperations jdbc;
  private final SqlValues values;
  private final JobMetricsSettings settings;
  private final Clock clock;

  JobMetricsPoints(
      NamedParameterJdbcOperations jdbc,
      SqlValues values,
      JobMetricsSettings settings,
      Clock clock) {
    this.jdbc = jdbc;
    this.values = values;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * One sample as stored.
   *
   * @param timestampMicro when the runner read it, microseconds since the epoch
   * @param cpuUsageMicro CPU time the job used so far
   * @param memoryUsageBytes memory charged to it
   * @param memoryWorkingSetBytes memory in use less inactive page cache
   * @param gpusMemoryUsageBytes per GPU, its memory in use
   * @param gpusUtilPercent per GPU, its utilization
   */
  record Point(
      long timestampMicro,
      long cpuUsageMicro,
      long memoryUsageBytes,
      long memoryWorkingSetBytes,
      List<Long> gpusMemoryUsageBytes,
      List<Integer> gpusUtilPercent) {}

  @Override
  public void store(UUID jobSubmissionId, MetricsResponse sample) {
    jdbc.update(
        "INSERT INTO job_metrics_points (job_id, timestamp_micro, cpu_usage_micro,"
            + " memory_usage_bytes, memory_working_set_bytes, gpus_memory_usage_bytes,"
            + " gpus_util_percent) VALUES (:jobId, :timestamp, :cpu, :memory, :workingSet,"
            + " :gpuMemory, :gpuUtil) ON CONFLICT DO NOTHING",
        new MapSqlParameterSource()
            .addValue("jobId", values.of(jobSubmissionId))
            .addValue("timestamp", sample.timestampMicro())
            .addValue("cpu", sample.cpuUsageMicro())
            .addValue("memory", sample.memoryUsageBytes())
            .addValue("workingSet", sample.memoryWorkingSetBytes())
            .addValue(
                "gpuMemory",
                RowJson.write(
                    sample.gpus().stream()
                        .map(MetricsResponse.GpuMetrics::gpuMemoryUsageBytes)
                        .toList()))
            .addValue(
                "gpuUtil",
                RowJson.write(
                    sample.gpus().stream()
                        .map(MetricsResponse.GpuMetrics::gpuUtilPercent)
                        .toList())));
  }

  /**
   * The job submission's samples, newest first: those taken at or after {@code after} and before
   * {@code before} (either null for no bound), at most {@code limit} (null for all).
   */
  List<Point> newestFirst(UUID jobSubmissionId, Instant after, Instant before, Integer limit) {
    var conditions = new ArrayList<String>(List.of("job_id = :jobId"));
    var parameters = new MapSqlParameterSource("jobId", values.of(jobSubmissionId));
    if (after != null) {
      conditions.add("timestamp_micro >= :after");
      parameters.addValue("after", micros(after));
    }
    if (before != null) {
      conditions.add("timestamp_micro < :before");
      parameters.addValue("before", micros(before));
    }
    String limitClause = "";
    if (limit != null) {
      limitClause = " LIMIT :limit";
      parameters.addValue("limit", limit);
    }
    return jdbc.query(
        "SELECT * FROM job_metrics_points WHERE "
            + String.join(" AND ", conditions)
            + " ORDER BY timestamp_micro DESC"
            + limitClause,
        parameters,
        (rs, n) ->
            new Point(
                rs.getLong("timestamp_micro"),
                rs.getLong("cpu_usage_micro"),
                rs.getLong("memory_usage_bytes"),
                rs.getLong("memory_working_set_bytes"),
                List.of(RowJson.read(rs.getString("gpus_memory_usage_bytes"), Long[].class)),
                List.of(RowJson.read(rs.getString("gpus_util_percent"), Integer[].class))));
  }

  /** Deletes the samples dstack would have deleted by now. */
  @Scheduled(initialDelay = 5, fixedDelay = 60, timeUnit = TimeUnit.SECONDS)
  void deleteExpired() {
    var now = clock.instant();
    try {
      jdbc.update(
          "DELETE FROM job_metrics_points WHERE timestamp_micro < :cutoff AND job_id IN"
              + " (SELECT id FROM job_submissions WHERE status = :running)",
          new MapSqlParameterSource()
              .addValue(
                  "cutoff",
                  micros(now.minus(settings.metricsRunningTtlSeconds(), ChronoUnit.SECONDS)))
              .addValue("running", JobStatus.RUNNING.value()));
      jdbc.update(
          "DELETE FROM job_metrics_points WHERE timestamp_micro < :cutoff AND job_id IN"
              + " (SELECT id FROM job_submissions WHERE status IN (:finished))",
          new MapSqlParameterSource()
              .addValue(
                  "cutoff",
                  micros(now.minus(settings.metricsFinishedTtlSeconds(), ChronoUnit.SECONDS)))
              .addValue("finished", FINISHED));
    } catch (DataAccessException e) {
      log.warn("Cannot delete expired job metrics: {}", e.getMessage());
    }
  }

  static long micros(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }
}
