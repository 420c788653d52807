package ai.dstack.core.runs;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where an active run goes next given its jobs, dstack's rule for deriving a run's status from its
 * jobs' statuses.
 *
 * <p>Each replica contributes: a failed job that is not retried fails the run (job_failed, or
 * retry_limit_exceeded when its retry ran out); a replica with a retryable failure is retried
 * instead of contributing; otherwise its jobs contribute running, provisioning (provisioning or
 * pulling), submitted or done. The run then takes, in this order: terminating if anything failed,
 * running, provisioning, submitted, terminating with all_jobs_done if everything is done and
 * nothing is retried, and pending (to be resubmitted after a backoff) if every replica is retrying
 * or done.
 *
 * @param status the run's next status: {@link RunStatus#TERMINATING}, {@link RunStatus#RUNNING},
 *     {@link RunStatus#PROVISIONING}, {@link RunStatus#SUBMITTED} or {@link RunStatus#PENDING}
 * @param terminationReason why the run terminates, with {@link RunStatus#TERMINATING} only
 * @param replicasToRetry the replicas to resubmit: at once while the run stays active, after the
 *     backoff when it goes pending
 */
public record RunTransition(
    RunStatus status, RunTerminationReason terminationReason, List<Integer> replicasToRetry) {

  public RunTransition {
    replicasToRetry = List.copyOf(replicasToRetry);
  }

  /** The transition of an active run whose jobs' latest submissions are {@code jobs}. */
  public static RunTransition of(List<JobSnapshot> jobs) {
    Map<Integer, List<JobSnapshot>> replicas = new TreeMap<>();
    for (var job : jobs) {
      replicas.computeIfAbsent(job.replicaNum(), r -> new ArrayList<>()).add(job);
    }
    Set<RunStatus> contributed = EnumSet.noneOf(RunStatus.class);
    Set<RunTerminationReason> reasons = EnumSet.noneOf(RunTerminationReason.class);
    List<Integer> toRetry = new ArrayList<>();
    for (var replica : replicas.entrySet()) {
      Set<RunStatus> replicaStatuses = EnumSet.noneOf(RunStatus.class);
      boolean needsRetry = false;
      for (var job : replica.getValue()) {
        if (isDoneOrFinishingDone(job)) {
          replicaStatuses.add(RunStatus.DONE);
        } else if (job.terminationReason() == JobTerminationReason.SCALED_DOWN) {
          continue;
        } else if (activeStatus(job.status()) != null) {
          replicaStatuses.add(activeStatus(job.status()));
        } else {
          switch (job.retryVerdict() == null ? RetryVerdict.NOT_RETRYABLE : job.retryVerdict()) {
            case NOT_RETRYABLE -> {
              replicaStatuses.add(RunStatus.FAILED);
              reasons.add(RunTerminationReason.JOB_FAILED);
            }
            case LIMIT_EXCEEDED -> {
              replicaStatuses.add(RunStatus.FAILED);
              reasons.add(RunTerminationReason.RETRY_LIMIT_EXCEEDED);
            }
            case RETRY -> needsRetry = true;
          }
        }
      }
      if (replicaStatuses.contains(RunStatus.FAILED)) {
        contributed.add(RunStatus.FAILED);
      } else if (needsRetry) {
        toRetry.add(replica.getKey());
      } else {
        contributed.addAll(replicaStatuses);
      }
    }
    return decide(contributed, reasons, toRetry);
  }

  private static RunTransition decide(
      Set<RunStatus> contributed, Set<RunTerminationReason> reasons, List<Integer> toRetry) {
    if (contributed.contains(RunStatus.FAILED)) {
      var reason =
          reasons.contains(RunTerminationReason.JOB_FAILED)
              ? RunTerminationReason.JOB_FAILED
              : RunTerminationReason.RETRY_LIMIT_EXCEEDED;
      return new RunTransition(RunStatus.TERMINATING, reason, List.of());
    }
    for (var active : List.of(RunStatus.RUNNING, RunStatus.PROVISIONING, RunStatus.SUBMITTED)) {
      if (contributed.contains(active)) {
        return new RunTransition(active, null, toRetry);
      }
    }
    if (contributed.contains(RunStatus.DONE) && toRetry.isEmpty()) {
      return new RunTransition(
          RunStatus.TERMINATING, RunTerminationReason.ALL_JOBS_DONE, List.of());
    }
    // Every replica is retrying, or done while others retry: resubmit after the backoff.
    return new RunTransition(RunStatus.PENDING, null, toRetry);
  }

  private static boolean isDoneOrFinishingDone(JobSnapshot job) {
    return job.status() == JobStatus.DONE
        || (job.status() == JobStatus.TERMINATING || job.status() == JobStatus.TERMINATED)
            && job.terminationReason() == JobTerminationReason.DONE_BY_RUNNER;
  }

  private static RunStatus activeStatus(JobStatus status) {
    return switch (status) {
      case RUNNING -> RunStatus.RUNNING;
      case PROVISIONING, PULLING -> RunStatus.PROVISIONING;
      case SUBMITTED -> RunStatus.SUBMITTED;
      default -> null;
    };
  }
}
