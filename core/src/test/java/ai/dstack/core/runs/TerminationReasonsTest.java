package ai.dstack.core.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.dstack.core.json.Json;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The reasons' mappings, table by table as dstack 0.22.5's models.runs defines them. */
class TerminationReasonsTest {

  static Stream<Arguments> jobReasons() {
    // value, final status, retry event (null: never retried), error (null: none)
    return Stream.of(
        Arguments.of(
            "failed_to_start_due_to_no_capacity", JobStatus.FAILED, RetryEvent.NO_CAPACITY, null),
        Arguments.of("interrupted_by_no_capacity", JobStatus.FAILED, RetryEvent.INTERRUPTION, null),
        Arguments.of(
            "instance_unreachable", JobStatus.FAILED, RetryEvent.ERROR, "instance unreachable"),
        Arguments.of(
            "instance_access_revoked",
            JobStatus.FAILED,
            RetryEvent.ERROR,
            "instance access revoked"),
        Arguments.of(
            "waiting_instance_limit_exceeded",
            JobStatus.FAILED,
            RetryEvent.ERROR,
            "waiting instance limit exceeded"),
        Arguments.of(
            "waiting_runner_limit_exceeded",
            JobStatus.FAILED,
            RetryEvent.ERROR,
            "waiting runner limit exceeded"),
        Arguments.of("terminated_by_user", JobStatus.TERMINATED, null, null),
        Arguments.of("volume_error", JobStatus.FAILED, RetryEvent.ERROR, "volume error"),
        Arguments.of("gateway_error", JobStatus.FAILED, RetryEvent.ERROR, "gateway error"),
        Arguments.of("scaled_down", JobStatus.TERMINATED, null, "scaled down"),
        Arguments.of("done_by_runner", JobStatus.DONE, null, null),
        Arguments.of("aborted_by_user", JobStatus.ABORTED, null, null),
        Arguments.of("terminated_by_server", JobStatus.TERMINATED, null, null),
        Arguments.of(
            "inactivity_duration_exceeded",
            JobStatus.TERMINATED,
            null,
            "inactivity duration exceeded"),
        Arguments.of(
            "terminated_due_to_utilization_policy",
            JobStatus.TERMINATED,
            null,
            "utilization policy"),
        Arguments.of("container_exited_with_error", JobStatus.FAILED, RetryEvent.ERROR, null),
        Arguments.of(
            "ports_binding_failed", JobStatus.FAILED, RetryEvent.ERROR, "ports binding failed"),
        Arguments.of(
            "creating_container_error", JobStatus.FAILED, RetryEvent.ERROR, "runner error"),
        Arguments.of("executor_error", JobStatus.FAILED, RetryEvent.ERROR, "executor error"),
        Arguments.of("max_duration_exceeded", JobStatus.TERMINATED, null, "max duration exceeded"),
        Arguments.of(
            "log_quota_exceeded", JobStatus.FAILED, RetryEvent.ERROR, "log quota exceeded"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jobReasons")
  void jobReasonMapsAsDstacks(String value, JobStatus status, RetryEvent event, String error) {
    var reason = JobTerminationReason.of(value);
    assertEquals(status, reason.toStatus());
    assertEquals(event, reason.toRetryEvent());
    assertEquals(error, reason.toError());
    assertEquals("\"" + value + "\"", Json.write(reason));
  }

  @Test
  void everyJobReasonIsInTheTable() {
    assertEquals(JobTerminationReason.values().length, jobReasons().count());
  }

  static Stream<Arguments> runReasons() {
    return Stream.of(
        Arguments.of("all_jobs_done", RunStatus.DONE, JobTerminationReason.DONE_BY_RUNNER, null),
        Arguments.of(
            "job_failed", RunStatus.FAILED, JobTerminationReason.TERMINATED_BY_SERVER, null),
        Arguments.of(
            "retry_limit_exceeded",
            RunStatus.FAILED,
            JobTerminationReason.TERMINATED_BY_SERVER,
            "retry limit exceeded"),
        Arguments.of(
            "stopped_by_user", RunStatus.TERMINATED, JobTerminationReason.TERMINATED_BY_USER, null),
        Arguments.of(
            "aborted_by_user", RunStatus.TERMINATED, JobTerminationReason.ABORTED_BY_USER, null),
        Arguments.of(
            "server_error",
            RunStatus.FAILED,
            JobTerminationReason.TERMINATED_BY_SERVER,
            "server error"),
        Arguments.of(
            "gateway_error",
            RunStatus.FAILED,
            JobTerminationReason.TERMINATED_BY_SERVER,
            "gateway error"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runReasons")
  void runReasonMapsAsDstacks(
      String value, RunStatus status, JobTerminationReason jobReason, String error) {
    var reason = RunTerminationReason.of(value);
    assertEquals(status, reason.toStatus());
    assertEquals(jobReason, reason.toJobTerminationReason());
    assertEquals(error, reason.toError());
    assertEquals("\"" + value + "\"", Json.write(reason));
  }

  @Test
  void statusesHaveDstacksValues() {
    assertEquals(
        "[pending, submitted, provisioning, running, terminating, terminated, failed, done]",
        Arrays.stream(RunStatus.values()).map(RunStatus::value).toList().toString());
    assertEquals(
        "[submitted, provisioning, pulling, running, terminating, terminated, aborted, failed,"
            + " done]",
        Arrays.stream(JobStatus.values()).map(JobStatus::value).toList().toString());
  }

  @ParameterizedTest
  @EnumSource(JobStatus.class)
  void jobStatusReadsBackFromJson(JobStatus status) throws Exception {
    assertEquals(status, Json.MAPPER.readValue(Json.write(status), JobStatus.class));
  }

  @Test
  void jobStatusMessagesAreDstacks() {
    var messages =
        Map.of(
            "exited (0)",
            JobStatus.DONE.statusMessage(JobTerminationReason.DONE_BY_RUNNER, null, 0),
            "exited (3)",
            JobStatus.FAILED.statusMessage(
                JobTerminationReason.CONTAINER_EXITED_WITH_ERROR, null, 3),
            "no capacity",
            JobStatus.FAILED.statusMessage(
                JobTerminationReason.FAILED_TO_START_DUE_TO_NO_CAPACITY, "all offers failed", null),
            "no fleets",
            JobStatus.FAILED.statusMessage(
                JobTerminationReason.FAILED_TO_START_DUE_TO_NO_CAPACITY,
                "No matching fleet found",
                null),
            "interrupted",
            JobStatus.FAILED.statusMessage(
                JobTerminationReason.INTERRUPTED_BY_NO_CAPACITY, null, null),
            "error",
            JobStatus.FAILED.statusMessage(JobTerminationReason.EXECUTOR_ERROR, null, null),
            "stopped",
            JobStatus.TERMINATED.statusMessage(JobTerminationReason.TERMINATED_BY_USER, null, null),
            "terminated",
            JobStatus.TERMINATED.statusMessage(
                JobTerminationReason.MAX_DURATION_EXCEEDED, null, null),
            "aborted",
            JobStatus.ABORTED.statusMessage(JobTerminationReason.ABORTED_BY_USER, null, null),
            "pulling",
            JobStatus.PULLING.statusMessage(null, null, null));
    messages.forEach((expected, actual) -> assertEquals(expected, actual));
  }

  @Test
  void runStatusMessagesAreDstacks() {
    assertEquals("pulling", RunStatus.PROVISIONING.statusMessage(true, false));
    assertEquals("retrying", RunStatus.PENDING.statusMessage(false, true));
    assertEquals("retrying", RunStatus.SUBMITTED.statusMessage(false, true));
    assertEquals("running", RunStatus.RUNNING.statusMessage(false, true));
    assertEquals("submitted", RunStatus.SUBMITTED.statusMessage(false, false));
  }

  @Test
  void abortedIsAJobStatusButNotARunStatus() {
    assertNull(
        Arrays.stream(RunStatus.values())
            .filter(s -> s.value().equals("aborted"))
            .findAny()
            .orElse(null));
  }
}
