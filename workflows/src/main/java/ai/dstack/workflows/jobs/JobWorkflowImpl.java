package ai.dstack.workflows.jobs;

import static ai.dstack.core.runs.JobTerminationReason.ABORTED_BY_USER;
import static ai.dstack.core.runs.JobTerminationReason.CREATING_CONTAINER_ERROR;
import static ai.dstack.core.runs.JobTerminationReason.EXECUTOR_ERROR;
import static ai.dstack.core.runs.JobTerminationReason.FAILED_TO_START_DUE_TO_NO_CAPACITY;
import static ai.dstack.core.runs.JobTerminationReason.INSTANCE_UNREACHABLE;
import static ai.dstack.core.runs.JobTerminationReason.MAX_DURATION_EXCEEDED;
import static ai.dstack.core.runs.JobTerminationReason.TERMINATED_BY_SERVER;
import static ai.dstack.core.runs.JobTerminationReason.WAITING_RUNNER_LIMIT_EXCEEDED;

import ai.dstack.core.runs.InstanceOffer;
import ai.dstack.core.runs.JobStatus;
import ai.dstack.core.runs.JobTerminationReason;
import ai.dstack.core.runs.ProvisioningAttempt;
import ai.dstack.workflows.DstackSearchAttributes;
import ai.dstack.workflows.LocalActivities;
import ai.dstack.workflows.agents.AwaitRunner;
import ai.dstack.workflows.agents.AwaitTask;
import ai.dstack.workflows.agents.FollowJob;
import ai.dstack.workflows.agents.JobExit;
import ai.dstack.workflows.agents.KillTask;
import ai.dstack.workflows.agents.LogActivities;
import ai.dstack.workflows.agents.RemoveTask;
import ai.dstack.workflows.agents.RunnerActivities;
import ai.dstack.workflows.agents.RunnerTarget;
import ai.dstack.workflows.agents.ShimActivities;
import ai.dstack.workflows.agents.StartJob;
import ai.dstack.workflows.agents.StartTask;
import ai.dstack.workflows.agents.StopJob;
import ai.dstack.workflows.agents.SubmitJob;
import ai.dstack.workflows.agents.TaskStarted;
import ai.dstack.workflows.agents.TaskTarget;
import ai.dstack.workflows.agents.UploadCode;
import ai.dstack.workflows.fleets.FleetActivities;
import ai.dstack.workflows.fleets.SlotGrant;
import ai.dstack.workflows.fleets.SlotRelease;
import ai.dstack.workflows.fleets.SlotRequest;
import ai.dstack.workflows.fleets.SlotReturn;
import ai.dstack.workflows.fleets.SlotTicket;
import ai.dstack.workflows.offers.OfferActivities;
import ai.dstack.workflows.offers.OfferQuery;
import ai.dstack.workflows.projections.JobRecord;
import ai.dstack.workflows.projections.ProjectionActivities;
import ai.dstack.workflows.projections.Projections;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;

/** See {@link JobWorkflow}. */
public class JobWorkflowImpl implements JobWorkflow {

  /** Offers come from the database and backends' catalogues in seconds; five tries, then fail. */
  static final ActivityOptions OFFERS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(5).build())
          .build();

  /**
   * The fleet answers an update within one workflow task; retries ride out a worker restart or the
   * fleet continuing as new, and are harmless since the request id makes the update idempotent.
   */
  static final ActivityOptions SLOTS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          // A stop waits for the request to land, so the release that follows finds it.
          .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setMaximumInterval(Duration.ofSeconds(10))
                  .setMaximumAttempts(10)
                  .build())
          .build();

  /**
   * A release is one signal to the fleet: retried for a while, since the fleet may be between two
   * runs (continue-as-new) or its worker restarting; a fleet gone for good has no slot to free.
   */
  static final ActivityOptions RELEASE =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(10))
          .setScheduleToCloseTimeout(Duration.ofMinutes(10))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofMillis(200))
                  .setMaximumInterval(Duration.ofSeconds(10))
                  .build())
          .build();

  /**
   * Creating a task returns once the shim has it (the pull runs after); a shim that does not take
   * it in three tries is a failed provisioning attempt, and the next offer is tried.
   */
  static final ActivityOptions TASK_START =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(2))
          // A stop waits for the start to finish, so the removal that follows finds the task.
          .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(2))
                  .setMaximumAttempts(3)
                  .build())
          .build();

  /**
   * Pulling a large image takes minutes, so the wait heartbeats the shim's progress and may take 30
   * minutes; past that the job fails with waiting_runner_limit_exceeded.
   */
  static final ActivityOptions TASK_WAIT =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(30))
          .setHeartbeatTimeout(Duration.ofSeconds(30))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
          .build();

  /** A runner answers seconds after its container starts; five minutes is a runner that won't. */
  static final ActivityOptions RUNNER_WAIT =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(5))
          .setHeartbeatTimeout(Duration.ofSeconds(30))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
          .build();

  /**
   * Submit, upload and start are quick except a large code upload (ten minutes); five tries ride
   * out a runner restart, then the job fails with executor_error.
   */
  static final ActivityOptions RUNNER_CALLS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(10))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(1))
                  .setMaximumAttempts(5)
                  .build())
          .build();

  /** A runner that does not take a graceful stop in three tries is killed instead. */
  static final ActivityOptions GRACEFUL_STOP =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
          .build();

  /**
   * Following lasts as long as the job runs: a day per attempt, retried without limit, each retry
   * resuming from the heartbeat cursor; a minute without a heartbeat is a lost worker.
   */
  static final ActivityOptions FOLLOW =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofDays(1))
          .setHeartbeatTimeout(Duration.ofMinutes(1))
          .setCancellationType(ActivityCancellationType.TRY_CANCEL)
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(1))
                  .setMaximumInterval(Duration.ofSeconds(30))
                  .build())
          .build();

  /**
   * A leaked container is worse than a slow cleanup: kills and removals retry for an hour, then
   * what is left is for the instance's sweep of dangling tasks.
   */
  static final ActivityOptions CLEANUP =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(1))
          .setScheduleToCloseTimeout(Duration.ofHours(1))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(1))
                  .setMaximumInterval(Duration.ofMinutes(1))
                  .build())
          .build();

  /** How long the follower may take to store a killed job's last lines before it is cut off. */
  static final Duration FOLLOW_AFTER_KILL = Duration.ofMinutes(1);

  private static final Logger log = Workflow.getLogger(JobWorkflowImpl.class);

  /**
   * The change id of {@link #publish}'s rule: projections are written in the background, one after
   * the other, so the job's next step does not wait for a database write. Jobs started before it
   * (the default version) wait for each write.
   */
  static final String BACKGROUND_PROJECTIONS = "background-projections";

  /**
   * The change id of the quick steps as local activities: the offers, the runner's submit, upload
   * and start, the task's removal and the slot's release run in the worker, within the workflow
   * task that asks for them, instead of each going through the task queue and back (a round trip
   * through the Temporal server, tens of milliseconds). Jobs started before it (the default
   * version) schedule them as activities.
   */
  static final String LOCAL_ACTIVITIES = "local-activities";

  /**
   * The change id of using what the task's start saw ({@link TaskStarted#ready}, {@link
   * TaskStarted#runner}): a task that already runs, with a runner that answers, is not waited for.
   * Jobs started before it (the default version) always wait for both.
   */
  static final String QUICK_START = "quick-start";

  private final OfferActivities offers = Workflow.newActivityStub(OfferActivities.class, OFFERS);
  private final FleetActivities fleet = Workflow.newActivityStub(FleetActivities.class, SLOTS);
  private final FleetActivities fleetRelease =
      Workflow.newActivityStub(FleetActivities.class, RELEASE);
  private final ShimActivities shim = Workflow.newActivityStub(ShimActivities.class, TASK_START);
  private final ShimActivities shimWait = Workflow.newActivityStub(ShimActivities.class, TASK_WAIT);
  private final ShimActivities shimCleanup =
      Workflow.newActivityStub(ShimActivities.class, CLEANUP);
  private final RunnerActivities runnerWait =
      Workflow.newActivityStub(RunnerActivities.class, RUNNER_WAIT);
  private final RunnerActivities runner =
      Workflow.newActivityStub(RunnerActivities.class, RUNNER_CALLS);
  private final RunnerActivities runnerStop =
      Workflow.newActivityStub(RunnerActivities.class, GRACEFUL_STOP);
  private final LogActivities logs = Workflow.newActivityStub(LogActivities.class, FOLLOW);
  private final ProjectionActivities projections =
      Workflow.newActivityStub(ProjectionActivities.class, Projections.OPTIONS);
  private final OfferActivities localOffers =
      Workflow.newLocalActivityStub(OfferActivities.class, LocalActivities.like(OFFERS));
  private final FleetActivities localFleetRelease =
      Workflow.newLocalActivityStub(FleetActivities.class, LocalActivities.like(RELEASE));
  private final ShimActivities localShimCleanup =
      Workflow.newLocalActivityStub(ShimActivities.class, LocalActivities.like(CLEANUP));
  private final RunnerActivities localRunner =
      Workflow.newLocalActivityStub(RunnerActivities.class, LocalActivities.like(RUNNER_CALLS));

  /** Whether the quick steps run as local activities ({@link #LOCAL_ACTIVITIES}). */
  private boolean localActivities;

  /** Whether what the task's start saw spares the waits ({@link #QUICK_START}). */
  private boolean quickStart;

  private final Cleanup cleanup = new Cleanup();
  private final List<ProvisioningAttempt> attempts = new ArrayList<>();
  private final Set<String> slotRequests = new LinkedHashSet<>();
  private final Map<String, SlotGrant> grants = new LinkedHashMap<>();
  private final List<Promise<Void>> updatesInFlight = new ArrayList<>();

  /** The latest projection write in the background; null when none was started. */
  private Promise<Void> projected;

  /** Whether projections are written in the background ({@link #BACKGROUND_PROJECTIONS}). */
  private Boolean backgroundProjections;

  private JobInput input;
  private Instant submittedAt;
  private JobStatus status = JobStatus.SUBMITTED;
  private JobTerminationReason reason;
  private String reasonMessage;
  private Integer exitStatus;
  private InstanceOffer offer;
  private boolean provisioned;
  private TaskTarget task;
  private RunnerTarget runnerTarget;
  private String waitingFor;
  private int queuePosition;
  // The fleet's arrival number of its request while it waits in the queue, else null.
  private Long queueNumber;
  private JobStop stopRequest;
  private CancellationScope preparing;
  private Promise<JobExit> following;
  private boolean maxDurationExceeded;
  private long sequence;
  private Instant finishedAt;

  /** Takes the input before anything else runs: a signal or query can come before {@link #run}. */
  @WorkflowInit
  public JobWorkflowImpl(JobInput input) {
    this.input = input;
  }

  @Override
  public JobResult run(JobInput input) {
    localActivities = Workflow.getVersion(LOCAL_ACTIVITIES, Workflow.DEFAULT_VERSION, 1) == 1;
    quickStart = Workflow.getVersion(QUICK_START, Workflow.DEFAULT_VERSION, 1) == 1;
    submittedAt = now();
    Workflow.upsertTypedSearchAttributes(
        DstackSearchAttributes.PROJECT.valueSet(input.job().project()),
        DstackSearchAttributes.RUN.valueSet(input.job().runName()),
        DstackSearchAttributes.USER.valueSet(input.user()),
        DstackSearchAttributes.FLEET.valueSet(input.fleetName()));
    publish();
    try {
      preparing = Workflow.newCancellationScope(this::prepare);
      preparing.run();
      preparing = null;
      if (reason == null) {
        runToTheEnd();
      }
    } catch (CanceledFailure e) {
      // A stop before the job runs cancels its preparation; a cancelled workflow cancels it all.
      end(
          stopRequest != null ? stopRequest.reason() : TERMINATED_BY_SERVER,
          stopRequest != null ? stopRequest.message() : "the job workflow was cancelled");
    } finally {
      Workflow.newDetachedCancellationScope(this::terminate).run();
    }
    return result();
  }

  // ---- Before the job runs: offers, a slot, provisioning. Cancelled by a stop. ----

  private void prepare() {
    if (stopRequest != null) {
      throw new CanceledFailure("stopped before it started");
    }
    var candidates = findOffers();
    while (candidates != null) {
      if (candidates.isEmpty()) {
        end(FAILED_TO_START_DUE_TO_NO_CAPACITY, allOffersFailed());
        return;
      }
      var grant = acquireSlot(candidates);
      if (grant == null) {
        return;
      }
      switch (provision(grant)) {
        case STARTED -> {
          return;
        }
        case ENDED -> {
          return;
        }
        case TRY_NEXT ->
            candidates =
                candidates.stream()
                    .filter(o -> !o.instanceId().equals(grant.offer().instanceId()))
                    .toList();
      }
    }
  }

  /** Offers on the fleet's instances, cheapest first; null when the job ended for lack of them. */
  private List<InstanceOffer> findOffers() {
    waitingFor = "offers";
    List<InstanceOffer> found;
    String none;
    try {
      var list =
          (localActivities ? localOffers : offers)
              .findOffers(new OfferQuery(input.job(), input.fleetName()));
      found = list.offers();
      none = list.reason();
    } catch (ActivityFailure e) {
      rethrowIfCancelled(e);
      end(TERMINATED_BY_SERVER, "could not list offers: " + message(e));
      return null;
    }
    var onFleet =
        found.stream()
            .filter(o -> o.instanceId() != null)
            .sorted(Comparator.comparingDouble(InstanceOffer::price))
            .toList();
    if (onFleet.isEmpty()) {
      end(
          FAILED_TO_START_DUE_TO_NO_CAPACITY,
          none != null ? none : "no instance of fleet " + input.fleetName() + " fits the job");
      return null;
    }
    return onFleet;
  }

  /** Asks the fleet for a slot and waits in its queue; null when the job ended instead. */
  private SlotGrant acquireSlot(List<InstanceOffer> candidates) {
    var requestId = Workflow.randomUUID().toString();
    slotRequests.add(requestId);
    // Registered before the request: a request that timed out may still hold or queue a slot.
    cleanup.register(slotKey(requestId), () -> releaseSlot(requestId, "the job is over"));
    waitingFor = "a slot in fleet " + input.fleetName();
    SlotTicket ticket;
    try {
      ticket =
          fleet.requestSlot(
              new SlotRequest(
                  requestId,
                  input.fleetWorkflowId(),
                  Workflow.getInfo().getWorkflowId(),
                  input.job(),
                  input.priority(),
                  input.runSubmittedAt(),
                  candidates));
    } catch (ActivityFailure e) {
      rethrowIfCancelled(e);
      end(TERMINATED_BY_SERVER, "could not reach fleet " + input.fleetName() + ": " + message(e));
      return null;
    }
    switch (ticket.outcome()) {
      case GRANTED -> {
        return ticket.grant();
      }
      case REJECTED -> {
        cleanup.runNow(slotKey(requestId));
        end(FAILED_TO_START_DUE_TO_NO_CAPACITY, ticket.reason());
        return null;
      }
      default -> {
        queuePosition = ticket.position();
        queueNumber = ticket.number();
        waitingFor =
            "a slot in fleet "
                + input.fleetName()
                + " (queued at position "
                + ticket.position()
                + ")";
        publish();
        Workflow.await(() -> grants.containsKey(requestId));
        queuePosition = 0;
        queueNumber = null;
        return grants.get(requestId);
      }
    }
  }

  private enum Placement {
    STARTED,
    TRY_NEXT,
    ENDED
  }

  /** Starts the job on the granted instance: shim task, runner, submit, code, start. */
  private Placement provision(SlotGrant grant) {
    offer = grant.offer();
    status = JobStatus.PROVISIONING;
    waitingFor = "the shim on " + grant.instance().instanceName();
    Workflow.upsertTypedSearchAttributes(
        DstackSearchAttributes.BACKEND.valueSet(grant.instance().backend()));
    publish();
    var startedAt = now();
    var target = new TaskTarget(input.job(), grant.instance(), Workflow.randomUUID().toString());
    // Registered before the call: a start that timed out may still have created the task.
    cleanup.register(
        taskKey(target.taskId()),
        () ->
            (localActivities ? localShimCleanup : shimCleanup)
                .removeTask(new RemoveTask(target, "the job is over")));
    TaskStarted started;
    try {
      started = shim.startTask(new StartTask(target, grant.offer()));
    } catch (ActivityFailure e) {
      rethrowIfCancelled(e);
      attempts.add(
          new ProvisioningAttempt(
              attempts.size() + 1, grant.offer(), startedAt, now(), false, message(e)));
      log.info("{}: offer {} failed: {}", input.job().describe(), offer.describe(), message(e));
      cleanup.runNow(taskKey(target.taskId()));
      cleanup.runNow(slotKey(grant.requestId()));
      offer = null;
      return Placement.TRY_NEXT;
    }
    task = target;
    provisioned = true;
    attempts.add(
        new ProvisioningAttempt(
            attempts.size() + 1,
            grant.offer(),
            startedAt,
            now(),
            true,
            "started on " + grant.instance().instanceName()));
    return startOnRunner(quickStart ? started : new TaskStarted(target.taskId(), false))
        ? Placement.STARTED
        : Placement.ENDED;
  }

  /** Waits for the task and its runner (unless the start saw them ready), then runs the job. */
  private boolean startOnRunner(TaskStarted started) {
    status = JobStatus.PULLING;
    waitingFor = "the container";
    publish();
    try {
      var ready =
          started.ready() != null ? started.ready() : shimWait.awaitTask(new AwaitTask(task));
      if (!ready.running()) {
        end(
            ready.terminationReason() != null
                ? ready.terminationReason()
                : CREATING_CONTAINER_ERROR,
            ready.terminationMessage());
        return false;
      }
      runnerTarget = new RunnerTarget(task, ready.runnerPort());
      waitingFor = "the runner";
      if (started.runner() == null) {
        runnerWait.awaitRunner(new AwaitRunner(runnerTarget));
      }
    } catch (ActivityFailure e) {
      rethrowIfCancelled(e);
      end(WAITING_RUNNER_LIMIT_EXCEEDED, message(e));
      return false;
    }
    try {
      var calls = localActivities ? localRunner : runner;
      calls.submitJob(new SubmitJob(runnerTarget));
      calls.uploadCode(new UploadCode(runnerTarget));
      calls.startJob(new StartJob(runnerTarget));
    } catch (ActivityFailure e) {
      rethrowIfCancelled(e);
      end(EXECUTOR_ERROR, message(e));
      return false;
    }
    return true;
  }

  // ---- While the job runs: follow it until it ends, or stop it. ----

  private void runToTheEnd() {
    status = JobStatus.RUNNING;
    waitingFor = null;
    publish();
    var followScope =
        Workflow.newCancellationScope(
            () -> following = Async.function(logs::follow, new FollowJob(runnerTarget)));
    followScope.run();
    var timers = Workflow.newCancellationScope(this::startMaxDurationTimer);
    timers.run();
    Workflow.await(() -> following.isCompleted() || stopRequest != null || maxDurationExceeded);
    timers.cancel();
    if (following.isCompleted()) {
      endAsReported();
      return;
    }
    stopRunning(
        stopRequest != null
            ? stopRequest
            : new JobStop(
                MAX_DURATION_EXCEEDED,
                "max_duration of " + input.spec().maxDurationSeconds() + "s exceeded"),
        followScope);
  }

  private void startMaxDurationTimer() {
    var limit = input.spec().maxDurationSeconds();
    if (limit != null) {
      Workflow.newTimer(Duration.ofSeconds(limit))
          .handle(
              (fired, cancelled) -> {
                maxDurationExceeded = cancelled == null;
                return null;
              });
    }
  }

  private void endAsReported() {
    try {
      var exit = following.get();
      exitStatus = exit.exitStatus();
      end(exit.reason() != null ? exit.reason() : TERMINATED_BY_SERVER, exit.message());
    } catch (ActivityFailure e) {
      end(INSTANCE_UNREACHABLE, message(e));
    }
  }

  /** Graceful stop within stop_duration (none for an abort), then a kill. */
  private void stopRunning(JobStop stop, CancellationScope followScope) {
    end(stop.reason(), stop.message());
    status = JobStatus.TERMINATING;
    waitingFor = "the job to stop";
    publish();
    if (!stop.abort()) {
      try {
        runnerStop.stopJob(new StopJob(runnerTarget, stop.reason()));
      } catch (ActivityFailure e) {
        log.warn("{}: graceful stop failed: {}", input.job().describe(), message(e));
      }
      Supplier<Boolean> over = () -> following.isCompleted() || aborted();
      var grace = input.spec().stopDurationSeconds();
      if (grace == null) {
        Workflow.await(over);
      } else {
        Workflow.await(Duration.ofSeconds(grace), over);
      }
      if (aborted()) {
        reason = ABORTED_BY_USER;
        reasonMessage = stopRequest.message();
      }
    }
    if (!following.isCompleted()) {
      try {
        shimCleanup.killTask(new KillTask(task, reason, reasonMessage));
      } catch (ActivityFailure e) {
        log.warn("{}: kill failed: {}", input.job().describe(), message(e));
      }
      // The follower sees the task end and stores the last lines; it is cut off only if it hangs.
      Workflow.await(FOLLOW_AFTER_KILL, following::isCompleted);
      if (!following.isCompleted()) {
        followScope.cancel();
        return;
      }
    }
    try {
      exitStatus = following.get().exitStatus();
    } catch (ActivityFailure e) {
      log.info("{}: following ended with {}", input.job().describe(), message(e));
    }
  }

  private boolean aborted() {
    return stopRequest != null && stopRequest.abort();
  }

  // ---- The end: in a detached scope, whatever happened. ----

  private void terminate() {
    if (reason == null) {
      end(TERMINATED_BY_SERVER, "the job workflow ended unexpectedly");
    }
    cleanup.runAll();
    status = reason.toStatus();
    waitingFor = null;
    finishedAt = now();
    publish();
    // The run workflow learns the end, and the projection holds it, before this workflow closes.
    Promise.allOf(updatesInFlight).get();
    if (projected != null) {
      projected.get();
    }
  }

  private void end(JobTerminationReason why, String message) {
    if (reason == null) {
      reason = why;
      reasonMessage = message;
      log.info(
          "{} ends: {} {}", input.job().describe(), why.value(), message == null ? "" : message);
    }
  }

  private void releaseSlot(String requestId, String why) {
    (localActivities ? localFleetRelease : fleetRelease)
        .releaseSlot(new SlotReturn(input.fleetWorkflowId(), new SlotRelease(requestId, why)));
  }

  private String allOffersFailed() {
    var failures = attempts.stream().filter(a -> !a.succeeded()).toList();
    var text = new StringBuilder("all ").append(failures.size()).append(" offers failed");
    for (var attempt : failures) {
      text.append("; ").append(attempt.offer().describe()).append(": ").append(attempt.reason());
    }
    return text.toString();
  }

  // ---- Signals and queries. ----

  @Override
  public void stop(JobStop stop) {
    if (finishedAt != null || stop == null) {
      return;
    }
    if (stopRequest == null || stop.abort() && !stopRequest.abort()) {
      stopRequest = stop;
    }
    if (preparing != null) {
      preparing.cancel("stopped: " + stop.reason().value());
    }
  }

  @Override
  public void slotGranted(SlotGrant grant) {
    var id = grant.requestId();
    if (slotRequests.contains(id) && cleanup.pending(slotKey(id))) {
      grants.put(id, grant);
      return;
    }
    // A grant this job no longer wants (it gave up on the request): hand it straight back.
    Async.procedure(
        () ->
            Cleanup.runDetached(
                "hand back slot " + id, () -> releaseSlot(id, "not wanted any more")));
  }

  @Override
  public JobDetail detail() {
    return new JobDetail(
        input.job(),
        status,
        status.statusMessage(reason, reasonMessage, exitStatus),
        reason,
        reasonMessage,
        exitStatus,
        offer,
        attempts,
        waitingFor,
        input.fleetWorkflowId(),
        queuePosition);
  }

  private JobResult result() {
    return new JobResult(
        input.job(),
        status,
        reason,
        reasonMessage,
        exitStatus,
        provisioned,
        offer,
        attempts,
        finishedAt);
  }

  /** Writes the projection, tells the run workflow, and sets the status search attribute. */
  private void publish() {
    sequence++;
    if (backgroundProjections == null) {
      backgroundProjections =
          Workflow.getVersion(BACKGROUND_PROJECTIONS, Workflow.DEFAULT_VERSION, 1) == 1;
    }
    Workflow.upsertTypedSearchAttributes(DstackSearchAttributes.STATUS.valueSet(status.value()));
    var record =
        new JobRecord(
            input.job(),
            sequence,
            status,
            status.statusMessage(reason, reasonMessage, exitStatus),
            reason,
            reasonMessage,
            exitStatus,
            offer,
            task == null ? null : task.instance().hostname(),
            attempts,
            waitingFor,
            queueNumber,
            submittedAt,
            finishedAt);
    if (backgroundProjections) {
      projected = Projections.inBackground(projected, () -> projections.recordJob(record));
    } else {
      projections.recordJob(record);
    }
    if (input.runWorkflowId() != null) {
      var update =
          new JobUpdate(
              input.job(), sequence, status, reason, reasonMessage, exitStatus, offer, attempts);
      updatesInFlight.removeIf(Promise::isCompleted);
      // The run may show its own end once it learns the job's (prompt-end), so with local
      // activities the job's end reaches it only once the job's row holds it: both agree.
      var stored = localActivities && status.isFinished() ? projected : null;
      updatesInFlight.add(
          Async.procedure(
              () -> {
                if (stored != null) {
                  stored.get();
                }
                try {
                  Workflow.newUntypedExternalWorkflowStub(input.runWorkflowId())
                      .signal(JobUpdate.SIGNAL, update);
                } catch (SignalExternalWorkflowException | TemporalFailure e) {
                  log.warn("run workflow {} is gone: {}", input.runWorkflowId(), e.getMessage());
                }
              }));
    }
  }

  private static void rethrowIfCancelled(ActivityFailure e) {
    if (e.getCause() instanceof CanceledFailure cancelled) {
      throw cancelled;
    }
    if (CancellationScope.current().isCancelRequested()) {
      throw new CanceledFailure("cancelled while " + e.getMessage());
    }
  }

  /** The innermost failure's message: what went wrong, not which activity it was. */
  private static String message(Throwable e) {
    var cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    var text = cause.getMessage();
    if (cause instanceof ApplicationFailure app) {
      text = app.getOriginalMessage();
    } else if (cause instanceof TimeoutFailure timeout) {
      text =
          "timed out ("
              + timeout
                  .getTimeoutType()
                  .name()
                  .replace("TIMEOUT_TYPE_", "")
                  .toLowerCase(Locale.ROOT)
              + ")";
    }
    return text == null || text.isBlank() ? cause.getClass().getSimpleName() : text;
  }

  private static String slotKey(String requestId) {
    return "release slot " + requestId;
  }

  private static String taskKey(String taskId) {
    return "remove task " + taskId;
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }
}
