package ai.dstack.core.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.dstack.core.profiles.Retry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RetryPolicyTest {

  private static final List<RetryEvent> ALL =
      List.of(RetryEvent.NO_CAPACITY, RetryEvent.INTERRUPTION, RetryEvent.ERROR);

  @Test
  void resolvesAProfilesRetryAsDstacksGetRetry() {
    assertNull(RetryPolicy.of(null));
    assertNull(RetryPolicy.of(new Retry.Switch(false)));
    assertEquals(new RetryPolicy(ALL, 3600), RetryPolicy.of(new Retry.Switch(true)));
    assertEquals(new RetryPolicy(ALL, 600), RetryPolicy.of(new Retry.Policy(null, 600L)));
    assertEquals(
        new RetryPolicy(List.of(RetryEvent.ERROR), 3600),
        RetryPolicy.of(new Retry.Policy(List.of("error"), null)));
  }

  @Test
  void backsOffLikeDstacksPendingRuns() {
    var delays = Stream.of(1, 2, 3, 4, 5, 6, 7, 50).map(RetryPolicy::resubmissionDelay).toList();
    assertEquals(
        List.of(15L, 30L, 60L, 120L, 300L, 600L, 600L, 600L),
        delays.stream().map(Duration::toSeconds).toList());
  }

  private static final Instant SUBMITTED = Instant.parse("2025-01-01T00:00:00Z");

  static Stream<Arguments> verdicts() {
    var errorOnly = new RetryPolicy(List.of(RetryEvent.ERROR), 60);
    var capacityOnly = new RetryPolicy(List.of(RetryEvent.NO_CAPACITY), 60);
    var all = new RetryPolicy(ALL, 60);
    var noCapacity = JobTerminationReason.FAILED_TO_START_DUE_TO_NO_CAPACITY;
    var exit = JobTerminationReason.CONTAINER_EXITED_WITH_ERROR;
    return Stream.of(
        Arguments.of("no policy", null, exit, null, 0, RetryVerdict.NOT_RETRYABLE),
        Arguments.of("error not covered", capacityOnly, exit, 10, 20, RetryVerdict.NOT_RETRYABLE),
        Arguments.of("error covered, within", errorOnly, exit, 10, 20, RetryVerdict.RETRY),
        Arguments.of(
            "error covered, counted from the last provisioned end",
            errorOnly,
            exit,
            100,
            161,
            RetryVerdict.LIMIT_EXCEEDED),
        Arguments.of(
            "an error before any instance is never retried",
            errorOnly,
            exit,
            null,
            5,
            RetryVerdict.NOT_RETRYABLE),
        Arguments.of(
            "no capacity counted from the run's submission",
            capacityOnly,
            noCapacity,
            null,
            60,
            RetryVerdict.RETRY),
        Arguments.of(
            "no capacity past the duration",
            capacityOnly,
            noCapacity,
            null,
            61,
            RetryVerdict.LIMIT_EXCEEDED),
        Arguments.of(
            "no capacity after an earlier provisioned submission counts from its end",
            all,
            noCapacity,
            100,
            150,
            RetryVerdict.RETRY),
        Arguments.of(
            "stops are never retried",
            all,
            JobTerminationReason.TERMINATED_BY_USER,
            10,
            20,
            RetryVerdict.NOT_RETRYABLE),
        Arguments.of(
            "max duration is never retried",
            all,
            JobTerminationReason.MAX_DURATION_EXCEEDED,
            10,
            20,
            RetryVerdict.NOT_RETRYABLE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("verdicts")
  void decidesAsDstacksShouldRetryJob(
      String name,
      RetryPolicy policy,
      JobTerminationReason reason,
      Integer lastProvisionedSecond,
      int nowSecond,
      RetryVerdict expected) {
    var lastProvisioned =
        lastProvisionedSecond == null ? null : SUBMITTED.plusSeconds(lastProvisionedSecond);
    assertEquals(
        expected,
        RetryVerdict.decide(
            policy, reason, SUBMITTED, lastProvisioned, SUBMITTED.plusSeconds(nowSecond)));
  }
}
