package ai.dstack.orchestrator.runs;

import ai.dstack.core.json.Json;
import ai.dstack.core.runs.JobStatus;
import ai.dstack.core.runs.RunStatus;
import ai.dstack.core.runs.wire.ApplyAction;
import ai.dstack.core.runs.wire.JobPlan;
import ai.dstack.core.runs.wire.JobSpec;
import ai.dstack.core.runs.wire.JobSpecs;
import ai.dstack.core.runs.wire.Run;
import ai.dstack.core.runs.wire.RunNames;
import ai.dstack.core.runs.wire.RunPlan;
import ai.dstack.core.runs.wire.RunSpec;
import ai.dstack.core.runs.wire.RunSpecDiff;
import ai.dstack.core.runs.wire.RunSpecs;
import ai.dstack.core.runs.wire.Timestamps;
import ai.dstack.orchestrator.api.ApiException;
import ai.dstack.orchestrator.auth.Caller;
import ai.dstack.orchestrator.events.Events;
import ai.dstack.orchestrator.projects.ProjectAccess;
import ai.dstack.orchestrator.projects.ProjectAccess.ProjectRef;
import ai.dstack.orchestrator.secrets.SecretsService;
import ai.dstack.orchestrator.users.UserRepository;
import ai.dstack.workflows.WorkflowIds;
import ai.dstack.workflows.runs.RunInput;
import ai.dstack.workflows.runs.RunWorkflow;
import ai.dstack.workflows.runs.StopRun;
import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * dstack's runs API. It validates, stores the run and its job specs (with its workflow's input,
 * which {@link RunStarts} starts once the answer has gone), and signals or reads the run's
 * workflow; list views read the rows the workflows project. No transaction spans a call to
 * Temporal.
 */
@Service
public class RunsService {
  private static final Logger log = LoggerFactory.getLogger(RunsService.class);

  private final ProjectAccess access;
  private final RunStore store;
  private final StoredValues stored;
  private final UserRepository users;
  private final WorkflowClient temporal;
  private final RunPlacement placement;
  private final JobSpecs.Settings jobSettings;
  private final SecretsService secrets;
  private final Events events;
  private final RunStarts starts;
  private final TransactionOperations transactions;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  RunsService(
      ProjectAccess access,
      RunStore store,
      StoredValues stored,
      UserRepository users,
      WorkflowClient temporal,
      RunPlacement placement,
      JobSpecs.Settings jobSettings,
      SecretsService secrets,
      Events events,
      RunStarts starts,
      TransactionOperations transactions,
      Clock clock) {
    this.access = access;
    this.store = store;
    this.stored = stored;
    this.users = users;
    this.temporal = temporal;
    this.placement = placement;
    this.jobSettings = jobSettings;
    this.secrets = secrets;
    this.events = events;
    this.starts = starts;
    this.transactions = transactions;
    this.clock = clock;
  }

  /** {@code runs/get_plan}: the effective spec, each job's offers, and create or update. */
  public RunPlan plan(Caller caller, String projectName, JsonNode request) {
    var project = access.member(caller, projectName);
    var sent = runSpecOf(field(request, "run_spec"));
    var effective = withDefaults(caller, sent);
    var current =
        effective.runName() == null
            ? null
            : store.byName(project.id(), effective.runName()).orElse(null);
    var jobPlans = new ArrayList<JobPlan>();
    for (var job :
        ApiException.readingClientSpec(
            () -> JobSpecs.forPlan(effective, jobSettings, secrets.projectSecrets(project.id())))) {
      var offers = placement.planOffers(project.name(), job);
      jobPlans.add(
          new JobPlan(
              job.withoutSshKey(),
              offers,
              offers.size(),
              offers.stream().mapToDouble(o -> o.price()).max().stream()
                  .boxed()
                  .findFirst()
                  .orElse(null)));
    }
    var action =
        current != null
                && !isFinished(current)
                && RunSpecDiff.canUpdateInPlace(storedSpec(current), effective)
            ? ApplyAction.UPDATE
            : ApplyAction.CREATE;
    return new RunPlan(
        project.name(),
        caller.username(),
        sent,
        effective,
        jobPlans,
        current == null ? null : view(current, null),
        action);
  }

  /** {@code runs/apply}: submits the run (or replaces a finished one of the same name). */
  public Run apply(Caller caller, String projectName, JsonNode request) {
    var project = access.member(caller, projectName);
    var plan = field(request, "plan");
    var effective = withDefaults(caller, runSpecOf(field(plan, "run_spec")));
    boolean force = request.path("force").asBoolean(false);
    var runName = effective.runName();
    if (runName == null) {
      runName = RunNames.generate(random, name -> store.nameTaken(project.id(), name));
      effective = RunSpecs.withRunName(effective, runName);
    }
    var existing = store.byName(project.id(), runName).orElse(null);
    if (existing != null && !isFinished(existing)) {
      return applyToActive(existing, effective, plan.path("current_resource"), force);
    }
    var named = effective;
    var jobs =
        ApiException.readingClientSpec(
            () -> JobSpecs.forSubmission(named, jobSettings, secrets.projectSecrets(project.id())));
    var fleet =
        placement
            .fleetFor(project.name())
            .orElseThrow(
                () ->
                    ApiException.badRequest(
                        "Project "
                            + project.name()
                            + " has no fleet to run on: the local fleet is turned off"
                            + " (DSTACK_LOCAL_FLEET) and other fleets are not supported yet"));
    if (existing != null) {
      store.markDeleted(List.of(existing.id()));
    }
    return submit(caller, project, named, jobs, fleet);
  }

  private Run applyToActive(
      RunRow existing, RunSpec next, JsonNode currentResource, boolean force) {
    var current = storedSpec(existing);
    boolean sameResource =
        currentResource.isObject()
            && existing.id().toString().equals(currentResource.path("id").asText())
            && RunSpecs.equivalent(current, RunSpec.fromJson(currentResource.path("run_spec")));
    if (!force && !sameResource) {
      throw ApiException.badRequest(
          "Failed to apply plan. Resource has been changed. Try again or use force apply.");
    }
    if (RunSpecDiff.between(current, next).isEmpty()) {
      return view(existing, null);
    }
    throw ApiException.badRequest("Cannot override active run. Stop the run first.");
  }

  private Run submit(
      Caller caller,
      ProjectRef project,
      RunSpec spec,
      List<JobSpec> jobs,
      RunPlacement.Fleet fleet) {
    var runId = UUID.randomUUID();
    // To the millisecond, as SQLite keeps it: the fleet's queue orders by the time the run's row
    // shows, so its queue positions can be counted from the rows.
    var submittedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    var workflowId = WorkflowIds.run(project.name(), spec.runName(), runId);
    long priority = spec.params().priority() == null ? 0 : spec.params().priority();
    var row =
        new RunRow(
            runId,
            project.id(),
            project.name(),
            spec.runName(),
            caller.userId(),
            caller.username(),
            submittedAt,
            Json.write(spec.json()),
            workflowId,
            fleet.name(),
            (int) priority,
            RunStatus.SUBMITTED.value(),
            RunStatus.SUBMITTED.value(),
            null,
            null,
            0,
            submittedAt,
            false);
    var jobRows =
        jobs.stream()
            .map(
                j ->
                    new RunStore.JobSpecRow(
                        j.replicaNum(), j.jobNum(), j.jobName(), RowJson.write(j)))
            .toList();
    var input =
        new RunInput(
            runId,
            spec.runName(),
            project.name(),
            caller.username(),
            fleet.name(),
            fleet.workflowId(),
            (int) priority,
            submittedAt,
            jobs.stream().map(JobSpec::toSummary).toList());
    transactions.executeWithoutResult(
        tx -> {
          store.insert(row, jobRows, RunStarts.stored(input));
          recordSubmitted(caller, project, row, jobs);
        });
    // The answer does not wait for Temporal: the run is stored with its workflow's input, which
    // RunStarts starts now, or its sweep later.
    starts.startSoon(runId, workflowId, input);
    log.info("run {} submitted by {}", workflowId, caller.username());
    return view(row, null);
  }

  /** dstack's events of a submission: the run's, by its user, and each job's, by the server. */
  private void recordSubmitted(Caller caller, ProjectRef project, RunRow run, List<JobSpec> jobs) {
    events.recordBy(
        caller.userId(),
        "Run submitted. Status: " + RunStatus.SUBMITTED.value().toUpperCase(Locale.ROOT),
        Events.Target.run(project.id(), run.id(), run.runName()));
    for (var job : jobs) {
      events.record(
          "Job created on run submission. Status: "
              + JobStatus.SUBMITTED.value().toUpperCase(Locale.ROOT),
          Events.Target.job(
              project.id(),
              run.id(),
              WorkflowIds.firstSubmission(run.id(), job.replicaNum(), job.jobNum()),
              job.jobName()));
    }
  }

  /** {@code runs/get} by name (the newest not deleted) or by id. */
  public Run get(Caller caller, String projectName, JsonNode request) {
    var project = access.member(caller, projectName);
    var row = find(project, request);
    return view(row, null);
  }

  private RunRow find(ProjectRef project, JsonNode request) {
    var name = text(request, "run_name");
    var id = text(request, "id");
    if (id != null) {
      return store.byId(project.id(), uuid("id", id)).orElseThrow(ApiException::resourceNotExists);
    }
    if (name == null) {
      throw ApiException.badRequest("Either run_name or id must be given");
    }
    return store.byName(project.id(), name).orElseThrow(ApiException::resourceNotExists);
  }

  /** {@code runs/list} and {@code /api/runs/list}: newest first, with the latest submissions. */
  public List<Run> list(Caller caller, String projectInPath, JsonNode request) {
    String projectName = projectInPath != null ? projectInPath : text(request, "project_name");
    List<ProjectRef> projects =
        projectName != null ? List.of(access.member(caller, projectName)) : access.all(caller);
    Instant prevSubmittedAt = null;
    var prevAt = text(request, "prev_submitted_at");
    if (prevAt != null) {
      try {
        prevSubmittedAt = Timestamps.parse(prevAt);
      } catch (java.time.format.DateTimeParseException e) {
        throw ApiException.badRequest("prev_submitted_at is not a date-time: " + prevAt);
      }
    }
    var prevId = text(request, "prev_run_id");
    int limit = request.path("limit").asInt(100);
    if (limit < 0 || limit > 100) {
      throw ApiException.badRequest("limit must be between 0 and 100, got " + limit);
    }
    var rows =
        store.list(
            projects.stream().map(ProjectRef::id).toList(),
            text(request, "username"),
            request.path("only_active").asBoolean(false),
            prevSubmittedAt,
            prevId == null ? null : uuid("prev_run_id", prevId),
            limit,
            request.path("ascending").asBoolean(false));
    boolean includeJobs = request.path("include_jobs").asBoolean(true);
    Integer submissionsLimit =
        request.path("job_submissions_limit").isNumber()
            ? request.path("job_submissions_limit").asInt()
            : null;
    return views(rows, includeJobs, submissionsLimit);
  }

  /** {@code runs/stop}: stops (or aborts) each named active run; finished ones are left. */
  public void stop(Caller caller, String projectName, JsonNode request) {
    var project = access.member(caller, projectName);
    boolean abort = request.path("abort").asBoolean(false);
    for (var name : names(request, "runs_names")) {
      var row = store.byName(project.id(), name).orElse(null);
      if (row == null || isFinished(row)) {
        continue;
      }
      starts.awaitStarted(row.id(), row.workflowId());
      try {
        temporal
            .newWorkflowStub(RunWorkflow.class, row.workflowId())
            .stop(new StopRun(abort, caller.userId()));
      } catch (WorkflowNotFoundException e) {
        log.warn("run {} has no running workflow to stop", row.workflowId());
      }
    }
  }

  /**
   * {@code runs/delete}: deletes finished runs; an active one is an error, and nothing is deleted.
   */
  public void delete(Caller caller, String projectName, JsonNode request) {
    var project = access.member(caller, projectName);
    var rows = new ArrayList<RunRow>();
    for (var name : names(request, "runs_names")) {
      var row = store.byName(project.id(), name).orElse(null);
      if (row == null) {
        continue;
      }
      if (!isFinished(row)) {
        throw ApiException.badRequest("Cannot delete active runs: " + name + " is " + row.status());
      }
      rows.add(row);
    }
    transactions.executeWithoutResult(
        tx -> {
          store.markDeleted(rows.stream().map(RunRow::id).toList());
          for (var row : rows) {
            events.recordBy(
                caller.userId(),
                "Run deleted",
                Events.Target.run(project.id(), row.id(), row.runName()));
          }
        });
  }

  /** Checks the caller is a member of the project. */
  void checkMember(Caller caller, String projectName) {
    access.member(caller, projectName);
  }

  /** The run, as its project's members may read it; for the logs and the agents. */
  RunRow runFor(Caller caller, String projectName, String runName) {
    var project = access.member(caller, projectName);
    return store.byName(project.id(), runName).orElseThrow(ApiException::resourceNotExists);
  }

  /** All submissions of a run. */
  List<SubmissionRow> submissionsOf(RunRow run) {
    return store.submissions(List.of(run.id())).getOrDefault(run.id(), List.of());
  }

  private Run view(RunRow row, Integer submissionsLimit) {
    return views(List.of(row), true, submissionsLimit).getFirst();
  }

  private List<Run> views(List<RunRow> rows, boolean includeJobs, Integer submissionsLimit) {
    var ids = rows.stream().map(RunRow::id).toList();
    var specs = includeJobs ? store.jobSpecs(ids) : Map.<UUID, List<RunStore.JobSpecRow>>of();
    var submissions = includeJobs ? store.submissions(ids) : Map.<UUID, List<SubmissionRow>>of();
    // Only when a listed job waits in a queue: its place there is counted from the other rows.
    var queued =
        submissions.values().stream().flatMap(List::stream).anyMatch(SubmissionRow::queued)
            ? store.queuePositions()
            : Map.<UUID, Integer>of();
    var now = clock.instant();
    return rows.stream()
        .map(
            r ->
                RunViews.run(
                    stored,
                    r,
                    // Without jobs, as dstack lists them: the run alone.
                    includeJobs ? specs.getOrDefault(r.id(), List.of()) : List.of(),
                    submissions.getOrDefault(r.id(), List.of()),
                    queued,
                    submissionsLimit,
                    now))
        .toList();
  }

  private RunSpec withDefaults(Caller caller, RunSpec spec) {
    var key = users.findById(caller.userId()).map(u -> u.sshPublicKey()).orElse(null);
    return ApiException.readingClientSpec(() -> RunSpecs.withDefaults(spec, key));
  }

  private static RunSpec runSpecOf(JsonNode json) {
    return ApiException.readingClientSpec(() -> RunSpecs.parse(json));
  }

  /** Whether the run spec a client echoed back is the stored one; false when it does not read. */
  private static boolean sameSpec(RunSpec stored, JsonNode echoed) {
    try {
      return echoed.isObject() && RunSpecs.equivalent(stored, RunSpec.fromJson(echoed));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private RunSpec storedSpec(RunRow row) {
    return stored.runSpec(row.runSpec());
  }

  private static boolean isFinished(RunRow row) {
    return RunStatus.of(row.status()).isFinished();
  }

  private static JsonNode field(JsonNode request, String name) {
    var value = request == null ? null : request.get(name);
    if (value == null || value.isNull()) {
      throw ApiException.badRequest(name + " is required");
    }
    return value;
  }

  /** {@code text} as a UUID, or a 400 naming {@code field}. */
  static UUID uuid(String field, String text) {
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(field + " must be a UUID, got " + text);
    }
  }

  private static String text(JsonNode request, String name) {
    var value = request == null ? null : request.get(name);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static List<String> names(JsonNode request, String field) {
    var list = field(request, field);
    if (!list.isArray()) {
      throw ApiException.badRequest(field + " must be a list of run names");
    }
    var names = new ArrayList<String>();
    list.forEach(n -> names.add(Objects.toString(n.asText())));
    return names;
  }
}
