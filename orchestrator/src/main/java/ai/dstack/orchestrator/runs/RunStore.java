package ai.dstack.orchestrator.runs;

import ai.dstack.core.runs.RunStatus;
import ai.dstack.orchestrator.fleets.LocalFleet;
import ai.dstack.orchestrator.persistence.SqlRows;
import ai.dstack.orchestrator.persistence.SqlValues;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/** The runs, their jobs' specs and their job submissions, in the server's database. */
@Repository
class RunStore {
  /** The statuses a run ends in, as {@link RunStatus#isFinished} says. */
  static final List<String> FINISHED =
      Arrays.stream(RunStatus.values())
          .filter(RunStatus::isFinished)
          .map(RunStatus::value)
          .toList();

  private static final String SELECT_RUN =
      "SELECT r.*, p.name AS project_name, u.name AS username FROM runs r"
          + " JOIN projects p ON p.id = r.project_id JOIN users u ON u.id = r.user_id";

  private final NamedParameterJdbcOperations jdbc;
  private final SqlValues values;
  private final TransactionTemplate transactions;

  RunStore(NamedParameterJdbcOperations jdbc, SqlValues values, TransactionTemplate transactions) {
    this.jdbc = jdbc;
    this.values = values;
    this.transactions = transactions;
  }

  /** One job's spec, as apply stores it. */
  record JobSpecRow(int replicaNum, int jobNum, String jobName, String jobSpec) {}

  /**
   * Stores a new run with its jobs' specs, in one transaction, with its workflow's input until the
   * workflow has started ({@link #workflowStarted}).
   */
  void insert(RunRow run, List<JobSpecRow> jobs, String workflowInput) {
    transactions.executeWithoutResult(
        status -> {
          jdbc.update(
              "INSERT INTO runs (id, project_id, run_name, user_id, submitted_at, run_spec,"
                  + " workflow_id, fleet_name, priority, status, status_message,"
                  + " termination_reason, error, resubmission_attempt, sequence, updated_at,"
                  + " deleted, workflow_input) VALUES (:id, :projectId, :runName, :userId,"
                  + " :submittedAt, :runSpec, :workflowId, :fleetName, :priority, :status,"
                  + " :statusMessage, NULL, NULL, 0, 0, :submittedAt, :deleted, :workflowInput)",
              new MapSqlParameterSource()
                  .addValue("id", values.of(run.id()))
                  .addValue("projectId", values.of(run.projectId()))
                  .addValue("runName", run.runName())
                  .addValue("userId", values.of(run.userId()))
                  .addValue("submittedAt", values.of(run.submittedAt()))
                  .addValue("runSpec", run.runSpec())
                  .addValue("workflowId", run.workflowId())
                  .addValue("fleetName", run.fleetName())
                  .addValue("priority", run.priority())
                  .addValue("status", run.status())
                  .addValue("statusMessage", run.statusMessage())
                  .addValue("deleted", false)
                  .addValue("workflowInput", workflowInput));
          for (var job : jobs) {
            jdbc.update(
                "INSERT INTO run_jobs (run_id, replica_num, job_num, job_name, job_spec)"
                    + " VALUES (:runId, :replicaNum, :jobNum, :jobName, :jobSpec)",
                new MapSqlParameterSource()
                    .addValue("runId", values.of(run.id()))
                    .addValue("replicaNum", job.replicaNum())
                    .addValue("jobNum", job.jobNum())
                    .addValue("jobName", job.jobName())
                    .addValue("jobSpec", job.jobSpec()));
          }
        });
  }

  /** A run whose workflow has not started yet, with that workflow's input. */
  record Unstarted(UUID runId, String workflowId, String status, String workflowInput) {}

  /** The sweep's query: it reads the partial index {@code runs_unstarted}, not the table. */
  static final String UNSTARTED =
      "SELECT id, workflow_id, status, workflow_input FROM runs"
          + " WHERE workflow_input IS NOT NULL ORDER BY submitted_at, id";

  /** The runs whose workflows have not started yet, oldest first. */
  List<Unstarted> unstarted() {
    return jdbc.query(
        UNSTARTED,
        (rs, i) ->
            new Unstarted(
                SqlRows.uuid(rs, "id"),
                rs.getString("workflow_id"),
                rs.getString("status"),
                rs.getString("workflow_input")));
  }

  /** The run's unstarted workflow's input, or empty once its workflow has started. */
  Optional<String> workflowInput(UUID runId) {
    return jdbc
        .query(
            "SELECT workflow_input FROM runs WHERE id = :id AND workflow_input IS NOT NULL",
            new MapSqlParameterSource("id", values.of(runId)),
            (rs, i) -> rs.getString("workflow_input"))
        .stream()
        .findFirst();
  }

  /** Records that the run's workflow has started: its input is no longer kept. */
  void workflowStarted(UUID runId) {
    jdbc.update(
        "UPDATE runs SET workflow_input = NULL WHERE id = :id",
        new MapSqlParameterSource("id", values.of(runId)));
  }

  /** The newest run of that name in the project that is not deleted. */
  Optional<RunRow> byName(UUID projectId, String runName) {
    return jdbc
        .query(
            SELECT_RUN
                + " WHERE r.project_id = :projectId AND r.run_name = :runName AND r.deleted = :no"
                + " ORDER BY r.submitted_at DESC LIMIT 1",
            new MapSqlParameterSource()
                .addValue("projectId", values.of(projectId))
                .addValue("runName", runName)
                .addValue("no", false),
            RunStore::run)
        .stream()
        .findFirst();
  }

  /** The run with that id in the project, deleted or not. */
  Optional<RunRow> byId(UUID projectId, UUID runId) {
    return jdbc
        .query(
            SELECT_RUN + " WHERE r.project_id = :projectId AND r.id = :id",
            new MapSqlParameterSource()
                .addValue("projectId", values.of(projectId))
                .addValue("id", values.of(runId)),
            RunStore::run)
        .stream()
        .findFirst();
  }

  /** Whether a run of that name in the project is not deleted (finished or not). */
  boolean nameTaken(UUID projectId, String runName) {
    return byName(projectId, runName).isPresent();
  }

  /**
   * A page of runs, newest first unless {@code ascending}, after the keyset ({@code
   * prevSubmittedAt} and {@code prevRunId}) when given.
   */
  List<RunRow> list(
      Collection<UUID> projectIds,
      String username,
      boolean onlyActive,
      Instant prevSubmittedAt,
      UUID prevRunId,
      int limit,
      boolean ascending) {
    if (projectIds.isEmpty()) {
      return List.of();
    }
    var conditions = new ArrayList<String>();
    var parameters = new MapSqlParameterSource();
    conditions.add("r.project_id IN (:projectIds)");
    parameters.addValue("projectIds", projectIds.stream().map(values::of).toList());
    conditions.add("r.deleted = :no");
    parameters.addValue("no", false);
    if (username != null) {
      conditions.add("u.name = :username");
      parameters.addValue("username", username);
    }
    if (onlyActive) {
      conditions.add("r.status NOT IN (:finished)");
      parameters.addValue("finished", FINISHED);
    }
    String order = ascending ? "ASC" : "DESC";
    if (prevSubmittedAt != null) {
      String after = ascending ? ">" : "<";
      parameters.addValue("prevAt", values.of(prevSubmittedAt));
      if (prevRunId != null) {
        conditions.add(
            "(r.submitted_at "
                + after
                + " :prevAt OR (r.submitted_at = :prevAt AND r.id "
                + after
                + " :prevId))");
        parameters.addValue("prevId", values.of(prevRunId));
      } else {
        conditions.add("r.submitted_at " + after + " :prevAt");
      }
    }
    parameters.addValue("limit", limit);
    return jdbc.query(
        SELECT_RUN
            + " WHERE "
            + String.join(" AND ", conditions)
            + " ORDER BY r.submitted_at "
            + order
            + ", r.id "
            + order
            + " LIMIT :limit",
        parameters,
        RunStore::run);
  }

  /** Each run's job specs, by run id, in replica then job order. */
  Map<UUID, List<JobSpecRow>> jobSpecs(Collection<UUID> runIds) {
    var byRun = new LinkedHashMap<UUID, List<JobSpecRow>>();
    if (runIds.isEmpty()) {
      return byRun;
    }
    jdbc.query(
        "SELECT * FROM run_jobs WHERE run_id IN (:ids) ORDER BY replica_num, job_num",
        new MapSqlParameterSource("ids", runIds.stream().map(values::of).toList()),
        rs -> {
          byRun
              .computeIfAbsent(SqlRows.uuid(rs, "run_id"), k -> new ArrayList<>())
              .add(
                  new JobSpecRow(
                      rs.getInt("replica_num"),
                      rs.getInt("job_num"),
                      rs.getString("job_name"),
                      rs.getString("job_spec")));
        });
    return byRun;
  }

  /** One job's spec JSON. */
  Optional<String> jobSpec(UUID runId, int replicaNum, int jobNum) {
    return jdbc
        .queryForList(
            "SELECT job_spec FROM run_jobs WHERE run_id = :runId AND replica_num = :replicaNum"
                + " AND job_num = :jobNum",
            new MapSqlParameterSource()
                .addValue("runId", values.of(runId))
                .addValue("replicaNum", replicaNum)
                .addValue("jobNum", jobNum),
            String.class)
        .stream()
        .findFirst();
  }

  /** One run's spec JSON and project name, for the agents. */
  Optional<RunRow> byIdAnywhere(UUID runId) {
    return jdbc
        .query(
            SELECT_RUN + " WHERE r.id = :id",
            new MapSqlParameterSource("id", values.of(runId)),
            RunStore::run)
        .stream()
        .findFirst();
  }

  /** Each run's job submissions, by run id, in replica, job and submission order. */
  Map<UUID, List<SubmissionRow>> submissions(Collection<UUID> runIds) {
    var byRun = new LinkedHashMap<UUID, List<SubmissionRow>>();
    if (runIds.isEmpty()) {
      return byRun;
    }
    jdbc.query(
        "SELECT * FROM job_submissions WHERE run_id IN (:ids)"
            + " ORDER BY replica_num, job_num, submission_num",
        new MapSqlParameterSource("ids", runIds.stream().map(values::of).toList()),
        rs -> {
          var row = submission(rs);
          byRun.computeIfAbsent(row.runId(), k -> new ArrayList<>()).add(row);
        });
    return byRun;
  }

  /** How the projection of a job waiting in a fleet's queue names what it waits for. */
  static final String QUEUED_PREFIX = "a slot in fleet ";

  /** What follows the fleet's name there. */
  static final String QUEUED_MARK = " (queued at position ";

  /**
   * The place of each job submission waiting in a fleet's queue, by submission id, from 1: in the
   * fleet's grant order (priority, higher first, then the run's submission, then the request's
   * arrival at the fleet), counted among the submissions waiting in the same queue: the {@code
   * local} fleet's is one for every project (one host), any other fleet's its project's.
   */
  Map<UUID, Integer> queuePositions() {
    var positions = new LinkedHashMap<UUID, Integer>();
    var waiting = new LinkedHashMap<String, Integer>();
    jdbc.query(
        "SELECT s.id, s.waiting_for, r.project_id FROM job_submissions s"
            + " JOIN runs r ON r.id = s.run_id"
            + " WHERE s.status = :submitted AND s.waiting_for LIKE :queued"
            + " ORDER BY r.priority DESC, r.submitted_at, s.queue_number, s.id",
        new MapSqlParameterSource()
            .addValue("submitted", "submitted")
            .addValue("queued", QUEUED_PREFIX + "%" + QUEUED_MARK + "%"),
        rs -> {
          String waitingFor = rs.getString("waiting_for");
          String fleet =
              waitingFor.substring(QUEUED_PREFIX.length(), waitingFor.lastIndexOf(QUEUED_MARK));
          String queue =
              fleet.equals(LocalFleet.NAME) ? fleet : SqlRows.uuid(rs, "project_id") + "/" + fleet;
          positions.put(SqlRows.uuid(rs, "id"), waiting.merge(queue, 1, Integer::sum));
        });
    return positions;
  }

  /** Marks runs deleted: their names are free again, their rows stay for their logs. */
  void markDeleted(Collection<UUID> runIds) {
    if (!runIds.isEmpty()) {
      jdbc.update(
          "UPDATE runs SET deleted = :yes WHERE id IN (:ids)",
          new MapSqlParameterSource()
              .addValue("yes", true)
              .addValue("ids", runIds.stream().map(values::of).toList()));
    }
  }

  /** How many runs are in each status, by status value; deleted runs left out. */
  Map<String, Long> countByStatus() {
    var counts = new LinkedHashMap<String, Long>();
    jdbc.query(
        "SELECT status, COUNT(*) AS runs FROM runs WHERE deleted = :no GROUP BY status",
        new MapSqlParameterSource("no", false),
        rs -> {
          counts.put(rs.getString("status"), rs.getLong("runs"));
        });
    return counts;
  }

  private static RunRow run(ResultSet rs, int rowNum) throws SQLException {
    return new RunRow(
        SqlRows.uuid(rs, "id"),
        SqlRows.uuid(rs, "project_id"),
        rs.getString("project_name"),
        rs.getString("run_name"),
        SqlRows.uuid(rs, "user_id"),
        rs.getString("username"),
        SqlRows.instant(rs, "submitted_at"),
        rs.getString("run_spec"),
        rs.getString("workflow_id"),
        rs.getString("fleet_name"),
        rs.getInt("priority"),
        rs.getString("status"),
        rs.getString("status_message"),
        rs.getString("termination_reason"),
        rs.getString("error"),
        rs.getInt("resubmission_attempt"),
        SqlRows.instant(rs, "updated_at"),
        rs.getBoolean("deleted"));
  }

  private static SubmissionRow submission(ResultSet rs) throws SQLException {
    return new SubmissionRow(
        SqlRows.uuid(rs, "id"),
        SqlRows.uuid(rs, "run_id"),
        rs.getInt("replica_num"),
        rs.getInt("job_num"),
        rs.getInt("submission_num"),
        rs.getString("status"),
        rs.getString("status_message"),
        rs.getString("termination_reason"),
        rs.getString("termination_message"),
        SqlRows.integer(rs, "exit_status"),
        rs.getString("offer"),
        rs.getString("hostname"),
        rs.getString("attempts"),
        rs.getString("waiting_for"),
        SqlRows.instant(rs, "submitted_at"),
        SqlRows.instant(rs, "finished_at"));
  }
}
