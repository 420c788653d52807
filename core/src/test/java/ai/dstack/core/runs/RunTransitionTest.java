package ai.dstack.core.runs;

import static ai.dstack.core.runs.JobStatus.DONE;
import static ai.dstack.core.runs.JobStatus.FAILED;
import static ai.dstack.core.runs.JobStatus.PROVISIONING;
import static ai.dstack.core.runs.JobStatus.PULLING;
import static ai.dstack.core.runs.JobStatus.RUNNING;
import static ai.dstack.core.runs.JobStatus.SUBMITTED;
import static ai.dstack.core.runs.JobStatus.TERMINATED;
import static ai.dstack.core.runs.JobStatus.TERMINATING;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** dstack's derivation of a run's status from its jobs', case by case. */
class RunTransitionTest {

  private static JobSnapshot job(int replica, int num, JobStatus status) {
    return new JobSnapshot(replica, num, status, null, null);
  }

  private static JobSnapshot ended(
      int replica, int num, JobStatus status, JobTerminationReason reason, RetryVerdict verdict) {
    return new JobSnapshot(replica, num, status, reason, verdict);
  }

  private static final JobTerminationReason EXIT = JobTerminationReason.CONTAINER_EXITED_WITH_ERROR;
  private static final JobTerminationReason DONE_BY_RUNNER = JobTerminationReason.DONE_BY_RUNNER;

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "one submitted job: submitted", List.of(job(0, 0, SUBMITTED)), "submitted", null, "[]"),
        Arguments.of(
            "pulling counts as provisioning",
            List.of(job(0, 0, PULLING), job(0, 1, SUBMITTED)),
            "provisioning",
            null,
            "[]"),
        Arguments.of(
            "running wins over provisioning and done",
            List.of(job(0, 0, RUNNING), job(0, 1, PROVISIONING), job(1, 0, DONE)),
            "running",
            null,
            "[]"),
        Arguments.of(
            "all done: terminating with all_jobs_done",
            List.of(job(0, 0, DONE), job(0, 1, DONE)),
            "terminating",
            RunTerminationReason.ALL_JOBS_DONE,
            "[]"),
        Arguments.of(
            "terminating after the runner said done counts as done",
            List.of(ended(0, 0, TERMINATING, DONE_BY_RUNNER, null)),
            "terminating",
            RunTerminationReason.ALL_JOBS_DONE,
            "[]"),
        Arguments.of(
            "a failure without retry fails the run, whatever else runs",
            List.of(job(0, 0, RUNNING), ended(0, 1, FAILED, EXIT, RetryVerdict.NOT_RETRYABLE)),
            "terminating",
            RunTerminationReason.JOB_FAILED,
            "[]"),
        Arguments.of(
            "retry ran out: retry_limit_exceeded",
            List.of(ended(0, 0, FAILED, EXIT, RetryVerdict.LIMIT_EXCEEDED)),
            "terminating",
            RunTerminationReason.RETRY_LIMIT_EXCEEDED,
            "[]"),
        Arguments.of(
            "job_failed wins over retry_limit_exceeded",
            List.of(
                ended(0, 0, FAILED, EXIT, RetryVerdict.LIMIT_EXCEEDED),
                ended(1, 0, FAILED, EXIT, RetryVerdict.NOT_RETRYABLE)),
            "terminating",
            RunTerminationReason.JOB_FAILED,
            "[]"),
        Arguments.of(
            "the only replica retrying: pending",
            List.of(ended(0, 0, FAILED, EXIT, RetryVerdict.RETRY), job(0, 1, RUNNING)),
            "pending",
            null,
            "[0]"),
        Arguments.of(
            "a replica retrying beside a running one: resubmitted at once",
            List.of(ended(0, 0, FAILED, EXIT, RetryVerdict.RETRY), job(1, 0, RUNNING)),
            "running",
            null,
            "[0]"),
        Arguments.of(
            "done beside a retrying replica: pending",
            List.of(job(0, 0, DONE), ended(1, 0, FAILED, EXIT, RetryVerdict.RETRY)),
            "pending",
            null,
            "[1]"),
        Arguments.of(
            "max_duration exceeded is not retried: the run fails as in dstack",
            List.of(
                ended(
                    0,
                    0,
                    TERMINATED,
                    JobTerminationReason.MAX_DURATION_EXCEEDED,
                    RetryVerdict.NOT_RETRYABLE)),
            "terminating",
            RunTerminationReason.JOB_FAILED,
            "[]"),
        Arguments.of(
            "scaled down jobs do not count",
            List.of(
                ended(0, 0, TERMINATED, JobTerminationReason.SCALED_DOWN, null),
                job(1, 0, RUNNING)),
            "running",
            null,
            "[]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void derivesTheRunStatusAsDstack(
      String name,
      List<JobSnapshot> jobs,
      String status,
      RunTerminationReason reason,
      String replicasToRetry) {
    var transition = RunTransition.of(jobs);
    assertEquals(status, transition.status().value());
    assertEquals(reason, transition.terminationReason());
    assertEquals(replicasToRetry, transition.replicasToRetry().toString());
  }
}
