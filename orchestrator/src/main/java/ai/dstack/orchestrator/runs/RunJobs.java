package ai.dstack.orchestrator.runs;

import ai.dstack.activities.agents.JobPayloads;
import ai.dstack.activities.offers.JobRequirements;
import ai.dstack.activities.offers.JobRequirementsSource;
import ai.dstack.core.agents.runner.ClusterInfo;
import ai.dstack.core.agents.runner.SubmitBody;
import ai.dstack.core.agents.shim.TaskSubmitRequest;
import ai.dstack.core.runs.InstanceOffer;
import ai.dstack.core.runs.JobSubmissionRef;
import ai.dstack.core.runs.wire.AgentRequests;
import ai.dstack.core.runs.wire.JobSpec;
import ai.dstack.orchestrator.persistence.SqlValues;
import ai.dstack.orchestrator.projects.ProjectAccess;
import ai.dstack.orchestrator.secrets.SecretsService;
import ai.dstack.orchestrator.users.UserRepository;
import ai.dstack.workflows.agents.TaskTarget;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.stereotype.Component;

/**
 * What the agents' activities need of a job, from the stored run: the shim task, the runner's
 * submit body, the runner's port, and the job's requirements for its offers. Every answer is the
 * same when a retry asks again (the runner port is stored on first use).
 */
@Component
class RunJobs implements JobPayloads, JobRequirementsSource {
  /** Runner ports of jobs on the local host, which share its network. */
  static final int FIRST_RUNNER_PORT = 20_000;

  static final int RUNNER_PORTS = 10_000;

  private final RunStore store;
  private final StoredValues stored;
  private final ProjectAccess projects;
  private final UserRepository users;
  private final NamedParameterJdbcOperations jdbc;
  private final SqlValues values;
  private final SecretsService secrets;
  private final Clock clock;

  RunJobs(
      RunStore store,
      StoredValues stored,
      ProjectAccess projects,
      UserRepository users,
      NamedParameterJdbcOperations jdbc,
      SqlValues values,
      SecretsService secrets,
      Clock clock) {
    this.store = store;
    this.stored = stored;
    this.projects = projects;
    this.users = users;
    this.jdbc = jdbc;
    this.values = values;
    this.secrets = secrets;
    this.clock = clock;
  }

  @Override
  public TaskSubmitRequest taskRequest(TaskTarget task, InstanceOffer offer) {
    var ref = task.job();
    var run = run(ref);
    var job = jobSpec(ref);
    var projectKey =
        projects.byId(run.projectId()).map(ProjectAccess.ProjectRef::sshPublicKey).orElse(null);
    var userKey = users.findById(run.userId()).map(u -> u.sshPublicKey()).orElse(null);
    return AgentRequests.shimTask(
        job,
        UUID.fromString(task.taskId()),
        RunViews.provisioning(offer, task.instance().hostname()),
        RunViews.runtime(offer),
        List.of(),
        new AgentRequests.SshAccess(projectKey, userKey, false),
        secrets.projectSecrets(run.projectId()),
        runnerPort(task));
  }

  @Override
  public synchronized int runnerPort(TaskTarget task) {
    var id = new MapSqlParameterSource("taskId", task.taskId());
    var stored =
        jdbc.queryForList("SELECT port FROM task_ports WHERE task_id = :taskId", id, Integer.class);
    if (!stored.isEmpty()) {
      return stored.getFirst();
    }
    var taken =
        new HashSet<>(jdbc.queryForList("SELECT port FROM task_ports", Map.of(), Integer.class));
    int start = Math.floorMod(task.taskId().hashCode(), RUNNER_PORTS);
    for (int i = 0; i < RUNNER_PORTS; i++) {
      int port = FIRST_RUNNER_PORT + (start + i) % RUNNER_PORTS;
      if (!taken.contains(port) && isFree(port)) {
        try {
          jdbc.update(
              "INSERT INTO task_ports (task_id, port, created_at)"
                  + " VALUES (:taskId, :port, :createdAt)",
              new MapSqlParameterSource()
                  .addValue("taskId", task.taskId())
                  .addValue("port", port)
                  .addValue("createdAt", values.of(clock.instant())));
          return port;
        } catch (DuplicateKeyException e) {
          // Another server took this task's port first: use the same one.
          return jdbc.queryForObject(
              "SELECT port FROM task_ports WHERE task_id = :taskId", id, Integer.class);
        }
      }
    }
    throw new IllegalStateException(
        "no free runner port in " + FIRST_RUNNER_PORT + ".." + (FIRST_RUNNER_PORT + RUNNER_PORTS));
  }

  private static boolean isFree(int port) {
    try (var socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public SubmitBody submitBody(JobSubmissionRef job) {
    var run = run(job);
    var spec = stored.runSpec(run.runSpec());
    return AgentRequests.runnerSubmit(
        run.id(),
        run.projectName(),
        spec,
        jobSpec(job),
        job.submissionId(),
        ClusterInfo.singleNode(),
        secrets.projectSecrets(run.projectId()),
        null,
        Map.of(),
        null);
  }

  @Override
  public Optional<Payload> code(JobSubmissionRef job) {
    // Only the virtual repo is accepted so far (repos/init refuses others): no code to upload.
    return Optional.empty();
  }

  @Override
  public List<FileArchive> fileArchives(JobSubmissionRef job) {
    return List.of();
  }

  @Override
  public JobRequirements requirements(JobSubmissionRef job) {
    var requirements = jobSpec(job).requirements();
    return new JobRequirements(
        requirements.resources(),
        requirements.spot(),
        requirements.maxPrice(),
        Boolean.TRUE.equals(requirements.multinode()));
  }

  private RunRow run(JobSubmissionRef job) {
    return store
        .byIdAnywhere(job.runId())
        .orElseThrow(() -> new NoSuchElementException("run " + job.runId() + " is not stored"));
  }

  private JobSpec jobSpec(JobSubmissionRef job) {
    return RowJson.read(
        store
            .jobSpec(job.runId(), job.replicaNum(), job.jobNum())
            .orElseThrow(
                () -> new NoSuchElementException("job " + job.describe() + " is not stored")),
        JobSpec.class);
  }
}
