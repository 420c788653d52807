package ai.dstack.workflows.runs;

import ai.dstack.core.runs.JobSnapshot;
import ai.dstack.core.runs.JobSpecSummary;
import ai.dstack.core.runs.JobStatus;
import ai.dstack.core.runs.JobSubmissionRef;
import ai.dstack.core.runs.JobTerminationReason;
import ai.dstack.core.runs.RetryEvent;
import ai.dstack.core.runs.RetryPolicy;
import ai.dstack.core.runs.RetryVerdict;
import ai.dstack.core.runs.RunStatus;
import ai.dstack.core.runs.RunTerminationReason;
import ai.dstack.core.runs.RunTransition;
import ai.dstack.workflows.DstackSearchAttributes;
import ai.dstack.workflows.LocalActivities;
import ai.dstack.workflows.WorkflowIds;
import ai.dstack.workflows.jobs.JobInput;
import ai.dstack.workflows.jobs.JobResult;
import ai.dstack.workflows.jobs.JobStop;
import ai.dstack.workflows.jobs.JobUpdate;
import ai.dstack.workflows.jobs.JobWorkflow;
import ai.dstack.workflows.projections.ProjectionActivities;
import ai.dstack.workflows.projections.Projections;
import ai.dstack.workflows.projections.RunRecord;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowCancellationType;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;

/** See {@link RunWorkflow}. */
public class RunWorkflowImpl implements RunWorkflow {

  private static final Logger log = Workflow.getLogger(RunWorkflowImpl.class);

  /** The change id of {@link #submissionId}'s rule. */
  private static final String FIRST_SUBMISSION_ID = "first-submission-id";

  /**
   * The change id of two rules: the run's projections are written in the background, one after the
   * other ({@link Projections#inBackground}), and no stop goes to a job that has reported its end
   * (its workflow only completes, and ignores a stop). Runs started before them (the default
   * version) wait for each write and signal every unfinished child.
   */
  private static final String BACKGROUND_PROJECTIONS = "background-projections";

  /**
   * The change id of {@link #terminate}'s rule: a run whose every job has reported its end goes on
   * from terminating to its final status at once, while its jobs' workflows close, instead of
   * waiting for them (it still waits for them before it closes), and writes these last projections
   * as local activities. Runs started before it (the default version) stay terminating until their
   * last job workflow has closed.
   */
  private static final String PROMPT_END = "prompt-end";

  private final ProjectionActivities projections =
      Workflow.newActivityStub(ProjectionActivities.class, Projections.OPTIONS);
  private final ProjectionActivities localProjections =
      Workflow.newLocalActivityStub(
          ProjectionActivities.class, LocalActivities.like(Projections.OPTIONS));

  /**
   * Whether the run ends as its jobs reported ({@link #PROMPT_END}): its last projections are
   * written as local activities, terminating and the final status within one workflow task.
   */
  private boolean promptEnd;

  /** Each job (replica x node) with its submissions, in the run's job order. */
  private final Map<String, Job> jobs = new LinkedHashMap<>();

  /** Every submission in the order made. */
  private final List<Submission> submissions = new ArrayList<>();

  private RunInput input;
  private RunStatus status = RunStatus.SUBMITTED;
  private String projectedMessage;
  private RunTerminationReason terminationReason;
  private int resubmissionAttempt;
  private Instant nextResubmissionAt;
  private StopRun stopRequest;

  /** The user whose stop the next projected change carries out, or null. */
  private UUID actor;

  private boolean stopPending;
  private boolean changed;
  private boolean backendSet;
  private long sequence;

  /** The latest projection write in the background; null when none was started. */
  private Promise<Void> projected;

  /** Whether {@link #BACKGROUND_PROJECTIONS} applies to this run. */
  private Boolean backgroundProjections;

  /** A job of the run and its submissions. */
  private static final class Job {
    final JobSpecSummary spec;
    final List<Submission> submissions = new ArrayList<>();
    Instant lastProvisionedAt;
    JobTerminationReason lastTerminationReason;

    Job(JobSpecSummary spec) {
      this.spec = spec;
    }

    Submission latest() {
      return submissions.getLast();
    }
  }

  /** One submission of a job: its child workflow's latest update, then its result. */
  private static final class Submission {
    final JobSubmissionRef ref;
    final String workflowId;
    JobUpdate update;
    JobResult result;
    Promise<?> started;

    Submission(JobSubmissionRef ref, String workflowId) {
      this.ref = ref;
      this.workflowId = workflowId;
    }

    JobStatus status() {
      return result != null
          ? result.status()
          : update != null ? update.status() : JobStatus.SUBMITTED;
    }

    JobTerminationReason reason() {
      return result != null
          ? result.terminationReason()
          : update != null ? update.terminationReason() : null;
    }

    boolean finished() {
      return result != null;
    }
  }

  /** Takes the input before anything else runs: a signal or query can come before {@link #run}. */
  @WorkflowInit
  public RunWorkflowImpl(RunInput input) {
    this.input = input;
  }

  @Override
  public RunResult run(RunInput input) {
    Workflow.upsertTypedSearchAttributes(
        DstackSearchAttributes.PROJECT.valueSet(input.project()),
        DstackSearchAttributes.RUN.valueSet(input.runName()),
        DstackSearchAttributes.USER.valueSet(input.user()),
        DstackSearchAttributes.FLEET.valueSet(input.fleetName()),
        DstackSearchAttributes.STATUS.valueSet(status.value()));
    for (var spec : input.jobs()) {
      jobs.put(key(spec.replicaNum(), spec.jobNum()), new Job(spec));
    }
    project();
    try {
      if (!stopPending) {
        jobs.values().forEach(this::submit);
      }
      changed = true;
      lifecycle();
    } catch (CanceledFailure | ActivityFailure e) {
      // Cancelled from outside (an operator): the job workflows are being cancelled with it. A
      // cancel that lands during a projection write surfaces as that activity's failure.
      if (!CancellationScope.current().isCancelRequested()) {
        throw e;
      }
      Workflow.newDetachedCancellationScope(
              () -> {
                if (terminationReason == null) {
                  terminationReason = RunTerminationReason.ABORTED_BY_USER;
                }
                setStatus(RunStatus.TERMINATING);
                Workflow.await(this::allSubmissionsFinished);
                finish();
              })
          .run();
    }
    if (projected != null) {
      // The run's last state is stored before it closes.
      projected.get();
    }
    return new RunResult(
        input.runId(),
        status,
        terminationReason,
        terminationReason.toError(),
        submissions.stream().map(s -> s.result).toList());
  }

  private void lifecycle() {
    while (true) {
      Workflow.await(() -> changed || stopPending);
      changed = false;
      if (stopPending) {
        stopPending = false;
        applyStop();
      }
      if (terminationReason != null) {
        if (allSubmissionsFinished()) {
          finish();
          return;
        }
        projectIfMessageChanged();
        continue;
      }
      var transition = RunTransition.of(snapshots());
      switch (transition.status()) {
        case TERMINATING -> terminate(transition.terminationReason(), null);
        case PENDING -> {
          if (transition.replicasToRetry().isEmpty()) {
            // Nothing left to run or retry (every job scaled down): the run is over.
            terminate(RunTerminationReason.ALL_JOBS_DONE, null);
          } else {
            resubmitAfterBackoff(transition.replicasToRetry());
          }
        }
        default -> {
          if (transition.status() == RunStatus.PROVISIONING && status != RunStatus.PROVISIONING) {
            resubmissionAttempt = 0;
          }
          setStatus(transition.status());
          if (!transition.replicasToRetry().isEmpty()) {
            resubmit(transition.replicasToRetry());
          }
        }
      }
    }
  }

  // ---- Submissions. ----

  /**
   * A first submission's id is known to the server before this workflow runs; a resubmission's is
   * random. Runs started before this rule (the default version) keep random ids throughout.
   */
  private UUID submissionId(JobSpecSummary spec, int number) {
    if (number == 0 && Workflow.getVersion(FIRST_SUBMISSION_ID, Workflow.DEFAULT_VERSION, 1) == 1) {
      return WorkflowIds.firstSubmission(input.runId(), spec.replicaNum(), spec.jobNum());
    }
    return WorkflowIds.version4(Workflow.randomUUID());
  }

  private void submit(Job job) {
    var spec = job.spec;
    int number = job.submissions.size();
    var ref =
        new JobSubmissionRef(
            input.project(),
            input.runName(),
            input.runId(),
            spec.jobName(),
            spec.replicaNum(),
            spec.jobNum(),
            number,
            submissionId(spec, number));
    var runWorkflowId = Workflow.getInfo().getWorkflowId();
    var workflowId = WorkflowIds.job(runWorkflowId, spec.replicaNum(), spec.jobNum(), number);
    var submission = new Submission(ref, workflowId);
    job.submissions.add(submission);
    submissions.add(submission);
    var child =
        Workflow.newChildWorkflowStub(
            JobWorkflow.class,
            ChildWorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                // A run workflow that ends or is terminated takes its jobs with it.
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
                .setCancellationType(ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED)
                .setTypedSearchAttributes(
                    SearchAttributes.newBuilder()
                        .set(DstackSearchAttributes.PROJECT, input.project())
                        .set(DstackSearchAttributes.RUN, input.runName())
                        .set(DstackSearchAttributes.USER, input.user())
                        .set(DstackSearchAttributes.FLEET, input.fleetName())
                        .set(DstackSearchAttributes.STATUS, JobStatus.SUBMITTED.value())
                        .build())
                .build());
    var jobInput =
        new JobInput(
            ref,
            spec,
            runWorkflowId,
            input.user(),
            input.fleetName(),
            input.fleetWorkflowId(),
            input.priority(),
            input.submittedAt());
    Async.function(child::run, jobInput)
        .handle(
            (result, failure) -> {
              finished(job, submission, result, failure);
              return null;
            });
    submission.started = Workflow.getWorkflowExecution(child);
  }

  private void finished(
      Job job, Submission submission, JobResult result, RuntimeException failure) {
    if (result == null) {
      // The job workflow itself failed or was terminated: nothing of it runs any more.
      boolean cancelled = failure != null && failure.getCause() instanceof CanceledFailure;
      var message =
          cancelled
              ? "the job workflow was cancelled"
              : failure == null ? "the job workflow ended" : failure.getMessage();
      if (!cancelled) {
        log.warn("{}: job workflow failed: {}", submission.ref.describe(), message);
      }
      var last = submission.update;
      result =
          new JobResult(
              submission.ref,
              JobTerminationReason.TERMINATED_BY_SERVER.toStatus(),
              JobTerminationReason.TERMINATED_BY_SERVER,
              message,
              null,
              last != null && last.offer() != null,
              last == null ? null : last.offer(),
              last == null ? List.of() : last.attempts(),
              now());
    }
    submission.result = result;
    if (result.terminationReason() != null) {
      job.lastTerminationReason = result.terminationReason();
    }
    if (result.provisioned()) {
      job.lastProvisionedAt = result.finishedAt();
    }
    changed = true;
  }

  /** Resubmits the replicas at once (the run stays active), stopping what is left of them. */
  private void resubmit(List<Integer> replicas) {
    stopReplicas(replicas);
    for (var job : jobs.values()) {
      if (replicas.contains(job.spec.replicaNum())) {
        submit(job);
      }
    }
    changed = true;
  }

  /** The run goes pending, waits dstack's backoff (a durable timer), then resubmits. */
  private void resubmitAfterBackoff(List<Integer> replicas) {
    resubmissionAttempt++;
    var delay = RetryPolicy.resubmissionDelay(resubmissionAttempt);
    nextResubmissionAt = now().plus(delay);
    stopReplicas(replicas);
    setStatus(RunStatus.PENDING);
    log.info(
        "run {} pending: resubmission {} in {}s",
        input.runName(),
        resubmissionAttempt,
        delay.toSeconds());
    Workflow.await(delay, () -> stopPending);
    nextResubmissionAt = null;
    if (!stopPending) {
      for (var job : jobs.values()) {
        if (replicas.contains(job.spec.replicaNum())) {
          submit(job);
        }
      }
      setStatus(RunStatus.SUBMITTED);
    }
    changed = true;
  }

  private void stopReplicas(List<Integer> replicas) {
    var stop = new JobStop(JobTerminationReason.TERMINATED_BY_SERVER, "Run is to be resubmitted");
    for (var submission : submissions) {
      if (replicas.contains(submission.ref.replicaNum()) && !submission.finished()) {
        sendStop(submission, stop);
      }
    }
  }

  // ---- Termination. ----

  private void applyStop() {
    var reason =
        stopRequest.abort()
            ? RunTerminationReason.ABORTED_BY_USER
            : RunTerminationReason.STOPPED_BY_USER;
    if (terminationReason == RunTerminationReason.ABORTED_BY_USER) {
      return;
    }
    // As dstack's stop: the user's reason replaces any other while the run is not finished.
    terminationReason = null;
    actor = stopRequest.userId();
    terminate(reason, "stopped by the user");
    actor = null;
  }

  private void terminate(RunTerminationReason reason, String message) {
    terminationReason = reason;
    log.info("run {} terminating: {}", input.runName(), reason.value());
    var stop = new JobStop(reason.toJobTerminationReason(), message);
    for (var submission : submissions) {
      if (!submission.finished()) {
        sendStop(submission, stop);
      }
    }
    promptEnd =
        submissions.stream().allMatch(s -> s.finished() || reportedItsEnd(s))
            && Workflow.getVersion(PROMPT_END, Workflow.DEFAULT_VERSION, 1) == 1;
    setStatus(RunStatus.TERMINATING);
    if (promptEnd) {
      // Nothing of the run works any more: the status finish() gives it once the job workflows
      // have closed, right after terminating (both projected, in order, as dstack shows them).
      setStatus(reason.toStatus());
    }
    changed = true;
  }

  private void sendStop(Submission submission, JobStop stop) {
    if (backgroundProjections() && reportedItsEnd(submission)) {
      return;
    }
    var started = submission.started;
    Async.procedure(
        () -> {
          try {
            started.get();
            Workflow.newExternalWorkflowStub(JobWorkflow.class, submission.workflowId).stop(stop);
          } catch (SignalExternalWorkflowException | TemporalFailure e) {
            // It has finished, or never started: nothing of it runs to stop.
            log.info("{}: not stopped: {}", submission.ref.describe(), e.getMessage());
          }
        });
  }

  /** Whether the job's latest update is its end: its workflow is closing and ignores a stop. */
  private static boolean reportedItsEnd(Submission submission) {
    return submission.update != null && submission.update.status().isFinished();
  }

  private boolean allSubmissionsFinished() {
    return submissions.stream().allMatch(Submission::finished);
  }

  private void finish() {
    setStatus(terminationReason.toStatus());
    log.info("run {} {}", input.runName(), status.value());
  }

  // ---- The run's status, derived from its jobs'. ----

  private List<JobSnapshot> snapshots() {
    var now = now();
    var snapshots = new ArrayList<JobSnapshot>();
    for (var job : jobs.values()) {
      var latest = job.latest();
      var jobStatus = latest.status();
      RetryVerdict verdict = null;
      if (jobStatus.isFinished() || jobStatus == JobStatus.TERMINATING) {
        var lastProvisioned =
            !latest.finished() && latest.update != null && latest.update.offer() != null
                ? now
                : job.lastProvisionedAt;
        verdict =
            RetryVerdict.decide(
                job.spec.retry(), latest.reason(), input.submittedAt(), lastProvisioned, now);
      }
      snapshots.add(
          new JobSnapshot(
              job.spec.replicaNum(), job.spec.jobNum(), jobStatus, latest.reason(), verdict));
    }
    return snapshots;
  }

  private String statusMessage() {
    boolean allPulling =
        jobs.values().stream()
            .allMatch(j -> !j.submissions.isEmpty() && j.latest().status() == JobStatus.PULLING);
    boolean retryingAfterNoCapacity =
        jobs.values().stream()
            .anyMatch(
                j ->
                    j.lastTerminationReason
                            == JobTerminationReason.FAILED_TO_START_DUE_TO_NO_CAPACITY
                        && j.spec.retry() != null
                        && j.spec.retry().covers(RetryEvent.NO_CAPACITY));
    return status.statusMessage(allPulling, retryingAfterNoCapacity);
  }

  private void setStatus(RunStatus next) {
    if (next != status) {
      status = next;
      Workflow.upsertTypedSearchAttributes(DstackSearchAttributes.STATUS.valueSet(status.value()));
      project();
    } else {
      projectIfMessageChanged();
    }
  }

  private void projectIfMessageChanged() {
    if (!statusMessage().equals(projectedMessage)) {
      project();
    }
  }

  private void project() {
    projectedMessage = statusMessage();
    var record =
        new RunRecord(
            input.runId(),
            input.project(),
            input.runName(),
            ++sequence,
            status,
            projectedMessage,
            terminationReason,
            terminationReason == null ? null : terminationReason.toError(),
            resubmissionAttempt,
            now(),
            actor);
    if (backgroundProjections()) {
      var writer = promptEnd ? localProjections : projections;
      projected = Projections.inBackground(projected, () -> writer.recordRun(record));
    } else {
      projections.recordRun(record);
    }
  }

  private boolean backgroundProjections() {
    if (backgroundProjections == null) {
      backgroundProjections =
          Workflow.getVersion(BACKGROUND_PROJECTIONS, Workflow.DEFAULT_VERSION, 1) == 1;
    }
    return backgroundProjections;
  }

  // ---- Signals and queries. ----

  @Override
  public void stop(StopRun stop) {
    if (status.isFinished() || stop == null) {
      return;
    }
    if (stopRequest == null || stop.abort()) {
      stopRequest = stop;
    }
    stopPending = true;
  }

  @Override
  public void jobChanged(JobUpdate update) {
    var job = jobs.get(key(update.job().replicaNum(), update.job().jobNum()));
    if (job == null || update.job().submissionNum() >= job.submissions.size()) {
      return;
    }
    var submission = job.submissions.get(update.job().submissionNum());
    if (submission.finished()
        || submission.update != null && submission.update.sequence() >= update.sequence()) {
      return;
    }
    submission.update = update;
    if (!backendSet && update.offer() != null) {
      backendSet = true;
      Workflow.upsertTypedSearchAttributes(
          DstackSearchAttributes.BACKEND.valueSet(update.offer().backend()));
    }
    changed = true;
  }

  @Override
  public RunDetail detail() {
    var views =
        submissions.stream()
            .map(
                s -> {
                  var result = s.result;
                  var update = s.update;
                  return new RunDetail.Submission(
                      s.ref,
                      s.workflowId,
                      s.status(),
                      result != null
                          ? result.statusMessage()
                          : s.status()
                              .statusMessage(
                                  s.reason(),
                                  update == null ? null : update.terminationMessage(),
                                  update == null ? null : update.exitStatus()),
                      s.reason(),
                      result != null
                          ? result.terminationMessage()
                          : update == null ? null : update.terminationMessage(),
                      result != null
                          ? result.exitStatus()
                          : update == null ? null : update.exitStatus(),
                      result != null ? result.offer() : update == null ? null : update.offer(),
                      result != null
                          ? result.attempts()
                          : update == null ? List.of() : update.attempts());
                })
            .toList();
    return new RunDetail(
        input.runId(),
        input.project(),
        input.runName(),
        input.user(),
        status,
        statusMessage(),
        terminationReason,
        terminationReason == null ? null : terminationReason.toError(),
        resubmissionAttempt,
        nextResubmissionAt,
        views);
  }

  private static String key(int replicaNum, int jobNum) {
    return replicaNum + "-" + jobNum;
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }
}
