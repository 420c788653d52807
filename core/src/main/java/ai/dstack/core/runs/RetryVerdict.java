package ai.dstack.core.runs;

import java.time.Duration;
import java.time.Instant;

/** What a finished job submission means for its replica: retry it, or fail the run and why. */
public enum RetryVerdict {
  /** Not retried: no policy, or the policy does not cover the reason. The run fails: job_failed. */
  NOT_RETRYABLE,
  /** Retried: the policy covers the reason and its duration has not run out. */
  RETRY,
  /** The policy covers the reason but its duration ran out. The run fails: retry_limit_exceeded. */
  LIMIT_EXCEEDED;

  /**
   * dstack's retry decision for a submission that ended for {@code reason}. A no-capacity failure
   * of a job that never got an instance counts from the run's submission; any other covered reason
   * of a job that did get one counts from the end of its last provisioned submission; anything else
   * is not retried.
   *
   * @param retry the job's policy, or null for none
   * @param reason why the submission ended, or null
   * @param runSubmittedAt when the run was submitted
   * @param lastProvisionedAt when the job's last submission that got an instance ended, or null if
   *     none ever did
   * @param now the current time
   */
  public static RetryVerdict decide(
      RetryPolicy retry,
      JobTerminationReason reason,
      Instant runSubmittedAt,
      Instant lastProvisionedAt,
      Instant now) {
    if (retry == null || reason == null) {
      return NOT_RETRYABLE;
    }
    var event = reason.toRetryEvent();
    Instant retryingSince;
    if (event == RetryEvent.NO_CAPACITY
        && lastProvisionedAt == null
        && retry.covers(RetryEvent.NO_CAPACITY)) {
      retryingSince = runSubmittedAt;
    } else if (retry.covers(event) && lastProvisionedAt != null) {
      retryingSince = lastProvisionedAt;
    } else {
      return NOT_RETRYABLE;
    }
    return Duration.between(retryingSince, now).compareTo(retry.duration()) > 0
        ? LIMIT_EXCEEDED
        : RETRY;
  }
}
