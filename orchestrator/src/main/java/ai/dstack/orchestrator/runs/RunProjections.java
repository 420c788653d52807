package ai.dstack.orchestrator.runs;

import ai.dstack.core.runs.JobStatus;
import ai.dstack.core.runs.JobTerminationReason;
import ai.dstack.core.runs.RunStatus;
import ai.dstack.core.runs.RunTerminationReason;
import ai.dstack.orchestrator.events.Events;
import ai.dstack.orchestrator.persistence.SqlRows;
import ai.dstack.orchestrator.persistence.SqlValues;
import ai.dstack.workflows.projections.FleetRecord;
import ai.dstack.workflows.projections.JobRecord;
import ai.dstack.workflows.projections.Projected;
import ai.dstack.workflows.projections.ProjectionActivities;
import ai.dstack.workflows.projections.RunRecord;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Writes what the workflows report to the rows the list views read, and records the events of the
 * status changes (dstack's {@code Run status changed RUNNING -> TERMINATING}) in the same
 * transaction. A write applies only when its sequence is newer than the stored one, so a retried or
 * late write never undoes a newer state, nor records an event twice. The row is replaced only if it
 * is still the one read ({@code sequence} compared and set), so the status a change is told from is
 * the one it replaced. Each write is a short transaction: none spans a call to anything else.
 */
@Component
class RunProjections implements ProjectionActivities {
  private static final String UPDATE_JOB =
      "UPDATE job_submissions SET sequence = :sequence, status = :status,"
          + " status_message = :statusMessage, termination_reason = :reason,"
          + " termination_message = :message, exit_status = :exitStatus, offer = :offer,"
          + " hostname = :hostname, attempts = :attempts, waiting_for = :waitingFor,"
          + " queue_number = :queueNumber, finished_at = :finishedAt WHERE id = :id AND sequence = :storedSequence";
  private static final String INSERT_JOB =
      "INSERT INTO job_submissions (id, run_id, replica_num, job_num, submission_num, sequence,"
          + " status, status_message, termination_reason, termination_message, exit_status,"
          + " offer, hostname, attempts, waiting_for, queue_number, submitted_at, finished_at)"
          + " VALUES (:id, :runId, :replicaNum, :jobNum, :submissionNum, :sequence, :status,"
          + " :statusMessage, :reason, :message, :exitStatus, :offer, :hostname, :attempts,"
          + " :waitingFor, :queueNumber, :submittedAt, :finishedAt)";

  /** How many times a write is tried again after a concurrent one replaced the row it read. */
  private static final int WRITE_ATTEMPTS = 5;

  private final NamedParameterJdbcOperations jdbc;
  private final SqlValues values;
  private final Consumer<FleetRecord> fleets;
  private final RunMetrics metrics;
  private final Events events;
  private final TransactionOperations transactions;

  RunProjections(
      NamedParameterJdbcOperations jdbc,
      SqlValues values,
      FleetUsageRecorder fleetRecorder,
      RunMetrics metrics,
      Events events,
      TransactionOperations transactions) {
    this.jdbc = jdbc;
    this.values = values;
    this.fleets = fleetRecorder::record;
    this.metrics = metrics;
    this.events = events;
    this.transactions = transactions;
  }

  /** What a write found stored: the row's sequence and status, and its project. */
  private record Stored(long sequence, String status, UUID projectId, int attempts) {}

  @Override
  public Projected recordRun(RunRecord run) {
    for (int attempt = 1; ; attempt++) {
      Boolean applied = transactions.execute(tx -> writeRun(run));
      if (applied != null) {
        return new Projected(run.sequence(), applied);
      }
      if (attempt == WRITE_ATTEMPTS) {
        throw new IllegalStateException(
            "run " + run.runName() + ": the row kept changing under write " + run.sequence());
      }
    }
  }

  /** Whether the write applied; null when a concurrent write replaced the row read. */
  private Boolean writeRun(RunRecord run) {
    var stored =
        jdbc
            .query(
                "SELECT sequence, status, project_id FROM runs WHERE id = :id",
                new MapSqlParameterSource("id", values.of(run.runId())),
                (rs, n) ->
                    new Stored(
                        rs.getLong("sequence"),
                        rs.getString("status"),
                        SqlRows.uuid(rs, "project_id"),
                        0))
            .stream()
            .findFirst();
    if (stored.isEmpty() || stored.get().sequence() >= run.sequence()) {
      return false;
    }
    var parameters =
        new MapSqlParameterSource()
            .addValue("id", values.of(run.runId()))
            .addValue("sequence", run.sequence())
            .addValue("storedSequence", stored.get().sequence())
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
                + " WHERE id = :id AND sequence = :storedSequence",
            parameters);
    if (rows == 0) {
      return null;
    }
    var before = RunStatus.of(stored.get().status());
    if (before != run.status()) {
      events.recordBy(
          run.actorUserId(),
          runStatusChanged(before, run.status(), run.terminationReason()),
          Events.Target.run(stored.get().projectId(), run.runId(), run.runName()));
    }
    return true;
  }

  /**
   * Stores the submission's row unless the stored one is as new, and counts the provisioning
   * attempts this write stores first ({@link RunMetrics#attemptsStored}).
   */
  @Override
  public Projected recordJob(JobRecord job) {
    for (int attempt = 1; ; attempt++) {
      Optional<Integer> before;
      try {
        before = transactions.execute(tx -> writeJob(job));
      } catch (DuplicateKeyException e) {
        // A write of the same submission inserted its first row meanwhile: read it again.
        before = null;
      }
      if (before != null) {
        if (before.isPresent() && job.attempts().size() > before.get()) {
          metrics.attemptsStored(job.attempts().subList(before.get(), job.attempts().size()));
        }
        return new Projected(job.sequence(), before.isPresent());
      }
      if (attempt == WRITE_ATTEMPTS) {
        throw new IllegalStateException(
            job.job().describe() + ": the row kept changing under write " + job.sequence());
      }
    }
  }

  /**
   * Writes the submission's row; returns how many attempts the replaced row held (0 for a first
   * row), empty when the stored row is as new, null when a concurrent write replaced the row read.
   */
  private Optional<Integer> writeJob(JobRecord job) {
    var ref = job.job();
    var stored =
        jdbc
            .query(
                "SELECT s.sequence, s.status, s.attempts, r.project_id FROM job_submissions s"
                    + " JOIN runs r ON r.id = s.run_id WHERE s.id = :id",
                new MapSqlParameterSource("id", values.of(ref.submissionId())),
                (rs, n) ->
                    new Stored(
                        rs.getLong("sequence"),
                        rs.getString("status"),
                        SqlRows.uuid(rs, "project_id"),
                        RowJson.read(rs.getString("attempts"), JsonNode.class).size()))
            .stream()
            .findFirst();
    var parameters = parameters(job);
    UUID projectId;
    JobStatus before;
    if (stored.isPresent()) {
      if (stored.get().sequence() >= job.sequence()) {
        return Optional.empty();
      }
      parameters.addValue("storedSequence", stored.get().sequence());
      if (jdbc.update(UPDATE_JOB, parameters) == 0) {
        return null;
      }
      projectId = stored.get().projectId();
      before = JobStatus.of(stored.get().status());
    } else {
      // A retried or late write finds the row and must not insert: SQLite's duplicate key error is
      // no DuplicateKeyException.
      jdbc.update(INSERT_JOB, parameters);
      projectId = projectOf(ref.runId());
      before = JobStatus.SUBMITTED;
      if (ref.submissionNum() > 0 && projectId != null) {
        // dstack's resubmission makes a new job in the run's place.
        events.record(
            "Job created on retry. Status: " + upper(JobStatus.SUBMITTED.value()), target(job));
      }
    }
    if (projectId != null && before != job.status()) {
      events.record(
          jobStatusChanged(before, job.status(), job.terminationReason(), job.terminationMessage()),
          Events.Target.job(projectId, ref.runId(), ref.submissionId(), ref.jobName()));
    }
    return Optional.of(stored.map(Stored::attempts).orElse(0));
  }

  private Events.Target target(JobRecord job) {
    var ref = job.job();
    return Events.Target.job(
        projectOf(ref.runId()), ref.runId(), ref.submissionId(), ref.jobName());
  }

  private UUID projectOf(UUID runId) {
    return jdbc
        .query(
            "SELECT project_id FROM runs WHERE id = :id",
            new MapSqlParameterSource("id", values.of(runId)),
            (rs, n) -> SqlRows.uuid(rs, "project_id"))
        .stream()
        .findFirst()
        .orElse(null);
  }

  /** dstack's message of a run's status change. */
  static String runStatusChanged(
      RunStatus before, RunStatus after, RunTerminationReason terminationReason) {
    var message = "Run status changed " + upper(before.value()) + " -> " + upper(after.value());
    if (after == RunStatus.TERMINATING && terminationReason != null) {
      message += ". Termination reason: " + upper(terminationReason.value());
    }
    return message;
  }

  /** dstack's message of a job's status change. */
  static String jobStatusChanged(
      JobStatus before,
      JobStatus after,
      JobTerminationReason terminationReason,
      String terminationMessage) {
    var message = "Job status changed " + upper(before.value()) + " -> " + upper(after.value());
    if (after == JobStatus.TERMINATING && terminationReason != null) {
      message += ". Termination reason: " + upper(terminationReason.value());
      if (terminationMessage != null && !terminationMessage.isBlank()) {
        message += " (" + terminationMessage.strip() + ")";
      }
    }
    return message;
  }

  private static String upper(String value) {
    return value.toUpperCase(Locale.ROOT);
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
        .addValue("queueNumber", job.queueNumber())
        .addValue("submittedAt", values.of(job.submittedAt()))
        .addValue("finishedAt", values.of(job.finishedAt()));
  }

  @Override
  public Projected recordFleet(FleetRecord fleet) {
    fleets.accept(fleet);
    return new Projected(fleet.sequence(), true);
  }
}
