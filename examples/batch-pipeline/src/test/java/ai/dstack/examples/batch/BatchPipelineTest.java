package ai.dstack.examples.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.runs.RunStatus;
import ai.dstack.sdk.Dstack;
import ai.dstack.sdk.testing.LocalServer;
import ai.dstack.sdk.testing.LocalServerExtension;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The example pipeline against a real server: 50 tasks, 8 in flight, every result collected. */
@ExtendWith(LocalServerExtension.class)
class BatchPipelineTest {

  @Test
  void fiftyTasksEightInFlightEachResultFromItsLog(LocalServer server) throws Exception {
    try (var dstack = Dstack.of(server.url(), server.token(), server.project())) {
      var inputs = IntStream.rangeClosed(1, 50).boxed().toList();

      var summary = new BatchPipeline(dstack, 8, Duration.ofMinutes(10)).run(inputs);
      System.out.print(summary.describe());

      assertResults(summary);
      assertEquals(
          50,
          dstack.runs(100).stream()
              .filter(r -> r.name().startsWith("square-"))
              .filter(r -> r.status() == RunStatus.DONE)
              .count());
    }
  }

  private static void assertResults(BatchPipeline.Summary summary) {
    assertEquals(50, summary.results().size());
    for (var result : summary.results()) {
      assertEquals(RunStatus.DONE, result.status(), result.toString());
      assertEquals((long) result.input() * result.input(), result.value(), result.toString());
    }
    assertEquals(42925, summary.sum(), "1² + ... + 50²");
    assertTrue(summary.maxInFlight() <= 8, "at most 8 in flight: " + summary.maxInFlight());
    assertEquals(8, summary.maxInFlight(), "the bound is reached");
  }
}
