package ai.dstack.orchestrator.runs;

import ai.dstack.orchestrator.persistence.SqlValues;
import ai.dstack.workflows.projections.FleetRecord;
import ai.dstack.workflows.projections.JobRecord;
import ai.dstack.workflows.projections.Projected;
import ai.dstack.workflows.projections.ProjectionActivities;
import ai.dstack.workflows.projections.RunRecord;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.stereotype.Component;

/**
 * Writes what the workflows report to the rows the list views read. A write applies only when its
 * sequence is newer than the stored one, so a retried or late write never undoes a newer state.
 * Each write is a short statement or two: no transaction spans a call to anything else.
 */
@Component
class RunProjections implements ProjectionActivities {
  private static final String UPDATE_JOB =
      "UPDATE job_submissions SET sequence = :sequence, status = :status,"
          + " status_message = :statusMessage, termination_reason = :reason,"
          + " termination_message = :message, exit_status = :exitStatus, offer = :offer,"
          + " hostname = :hostname, attempts = :attempts, waiting_for = :waitingFor,"
          + " finished_at = :finishedAt WHERE id = :id AND sequence < :sequence";
  private static final String INSERT_JOB =
      "INSERT INTO job_submissions (id, run_id, replica_num, job_num, submission_num, sequence,"
          + " status, status_message, termination_reason, termination_message, exit_status,"
          + " offer, hostname, attempts, waiting_for, submitted_at, finished_at) VALUES (:id,"
          + " :runId, :replicaNum, :jobNum, :submissionNum, :sequence, :status, :statusMessage,"
          + " :reason, :message, :exitStatus, :offer, :hostname, :attempts, :waitingFor,"
          + " :submittedAt, :finishedAt)";

  private final NamedParameterJdbcOperations jdbc;
  private final SqlValues values;
  private final Consumer<FleetRecord> fleets;
  private final RunMetrics metrics;

  RunProjections(
      NamedParameterJdbcOperations jdbc,
      SqlValues values,
      FleetUsageRecorder fleetRecorder,
      RunMetrics metrics) {
    this.jdbc = jdbc;
    this.values = values;
    this.fleets = fleetRecorder::record;
    this.metrics = metrics;
  }

  @Override
  public Projected recordRun(RunRecord run) {
    var parameters =
        new MapSqlParameterSource()
            .addValue("id", values.of(run.runId()))
            .addValue("sequence", run.sequence())
            .addValue("status", run.status().value())
            .addValue("statusMessage", run.statusMessage())
            .addValue(
                "reason", run.terminationReason() == null ? null : run.terminationReason().value())
            .addValue("error", run.error())
            .addValue("resubmission", run.resubmissionAttempt())
            .addValue("updatedAt", values.of(run.updatedAt()));
    int rows =
        jdbc.update(
            "UPDATE runs SET sequence = :sequence, status = :status,"
                + " status_message = :statusMessage, termination_reason = :reason,"
                + " error = :error, resubmission_attempt = :resubmission, updated_at = :updatedAt"
                + " WHERE id = :id AND sequence < :sequence",
            parameters);
    return new Projected(run.sequence(), rows == 1);
  }

  /**
   * Stores the submission's row unless the stored one is as new, and counts the provisioning
   * attempts this write stores first ({@link RunMetrics#attemptsStored}).
   */
  @Override
  public Projected recordJob(JobRecord job) {
    var parameters = parameters(job);
    var stored = storedAttempts(job.job().submissionId());
    // A retried or late write finds the row and must not insert: SQLite's duplicate key error is
    // no DuplicateKeyException.
    boolean applied =
        stored.isPresent() ? jdbc.update(UPDATE_JOB, parameters) == 1 : insert(parameters);
    int before = stored.orElse(0);
    if (applied && job.attempts().size() > before) {
      metrics.attemptsStored(job.attempts().subList(before, job.attempts().size()));
    }
    return new Projected(job.sequence(), applied);
  }

  /** Inserts the submission's first row; if a write raced it in, updates that row if newer. */
  private boolean insert(MapSqlParameterSource parameters) {
    try {
      jdbc.update(INSERT_JOB, parameters);
      return true;
    } catch (DuplicateKeyException e) {
      return jdbc.update(UPDATE_JOB, parameters) == 1;
    }
  }

  /** How many provisioning attempts the submission's row holds, if it has one. */
  private Optional<Integer> storedAttempts(UUID submissionId) {
    return jdbc
        .queryForList(
            "SELECT attempts FROM job_submissions WHERE id = :id",
            new MapSqlParameterSource("id", values.of(submissionId)),
            String.class)
        .stream()
        .findFirst()
        .map(attempts -> RowJson.read(attempts, JsonNode.class).size());
  }

  private MapSqlParameterSource parameters(JobRecord job) {
    var ref = job.job();
    return new MapSqlParameterSource()
        .addValue("id", values.of(ref.submissionId()))
        .addValue("runId", values.of(ref.runId()))
        .addValue("replicaNum", ref.replicaNum())
        .addValue("jobNum", ref.jobNum())
        .addValue("submissionNum", ref.submissionNum())
        .addValue("sequence", job.sequence())
        .addValue("status", job.status().value())
        .addValue("statusMessage", job.statusMessage())
        .addValue(
            "reason", job.terminationReason() == null ? null : job.terminationReason().value())
        .addValue("message", job.terminationMessage())
        .addValue("exitStatus", job.exitStatus())
        .addValue("offer", job.offer() == null ? null : RowJson.write(job.offer()))
        .addValue("hostname", job.hostname())
        .addValue("attempts", RowJson.write(job.attempts()))
        .addValue("waitingFor", job.waitingFor())
        .addValue("submittedAt", values.of(job.submittedAt()))
        .addValue("finishedAt", values.of(job.finishedAt()));
  }

  @Override
  public Projected recordFleet(FleetRecord fleet) {
    fleets.accept(fleet);
    return new Projected(fleet.sequence(), true);
  }
}
