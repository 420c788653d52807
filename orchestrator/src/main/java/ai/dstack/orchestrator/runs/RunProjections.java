package ai.dstack.orchestrator.runs;

import ai.dstack.orchestrator.persistence.SqlValues;
import ai.dstack.workflows.projections.FleetRecord;
import ai.dstack.workflows.projections.JobRecord;
import ai.dstack.workflows.projections.Projected;
import ai.dstack.workflows.projections.ProjectionActivities;
import ai.dstack.workflows.projections.RunRecord;
import java.util.function.Consumer;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.stereotype.Component;

/**
 * Writes what the workflows report to the rows the list views read. A write applies only when its
 * sequence is newer than the stored one, so a retried or late write never undoes a newer state.
 * Each write is one short statement: no transaction spans a call to anything else.
 */
@Component
class RunProjections implements ProjectionActivities {
  private final NamedParameterJdbcOperations jdbc;
  private final SqlValues values;
  private final Consumer<FleetRecord> fleets;

  RunProjections(
      NamedParameterJdbcOperations jdbc, SqlValues values, FleetUsageRecorder fleetRecorder) {
    this.jdbc = jdbc;
    this.values = values;
    this.fleets = fleetRecorder::record;
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

  @Override
  public Projected recordJob(JobRecord job) {
    var ref = job.job();
    var parameters =
        new MapSqlParameterSource()
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
    String update =
        "UPDATE job_submissions SET sequence = :sequence, status = :status,"
            + " status_message = :statusMessage, termination_reason = :reason,"
            + " termination_message = :message, exit_status = :exitStatus, offer = :offer,"
            + " hostname = :hostname, attempts = :attempts, waiting_for = :waitingFor,"
            + " finished_at = :finishedAt WHERE id = :id AND sequence < :sequence";
    if (jdbc.update(update, parameters) == 1) {
      return new Projected(job.sequence(), true);
    }
    try {
      jdbc.update(
          "INSERT INTO job_submissions (id, run_id, replica_num, job_num, submission_num,"
              + " sequence, status, status_message, termination_reason, termination_message,"
              + " exit_status, offer, hostname, attempts, waiting_for, submitted_at, finished_at)"
              + " VALUES (:id, :runId, :replicaNum, :jobNum, :submissionNum, :sequence, :status,"
              + " :statusMessage, :reason, :message, :exitStatus, :offer, :hostname, :attempts,"
              + " :waitingFor, :submittedAt, :finishedAt)",
          parameters);
      return new Projected(job.sequence(), true);
    } catch (DuplicateKeyException e) {
      // The row exists: this write is as old as the stored one, or raced with its insert.
      return new Projected(job.sequence(), jdbc.update(update, parameters) == 1);
    }
  }

  @Override
  public Projected recordFleet(FleetRecord fleet) {
    fleets.accept(fleet);
    return new Projected(fleet.sequence(), true);
  }
}
