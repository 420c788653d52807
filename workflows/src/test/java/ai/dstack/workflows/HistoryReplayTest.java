package ai.dstack.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.temporal.api.enums.v1.EventType;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.WorkerOptions;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the committed histories (recorded from the other tests' runs with {@code
 * -Ddstack.recordHistories=true}) against today's workflow code: a change that would break running
 * workflows fails here. Record anew only when a change is meant to be incompatible, and then
 * version the workflow instead.
 */
class HistoryReplayTest {

  static List<Path> histories() throws IOException, URISyntaxException {
    var folder = Path.of(HistoryReplayTest.class.getResource("/histories").toURI());
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }

  private static WorkflowExecutionHistory read(Path file) throws IOException {
    return WorkflowBench.readKept(file);
  }

  /**
   * A replay's first workflow task loads and links the workflow classes; on a loaded machine that
   * alone can take longer than the SDK's 1 s deadlock detection, so replays allow longer.
   */
  private static final long REPLAY_DEADLOCK_TIMEOUT_MILLIS = 30_000;

  @ParameterizedTest(name = "{0}")
  @MethodSource("histories")
  void replaysWithoutNondeterminism(Path file) throws Exception {
    try (var env = TestWorkflowEnvironment.newInstance()) {
      var worker =
          env.newWorker(
              "replay",
              WorkerOptions.newBuilder()
                  .setDefaultDeadlockDetectionTimeout(REPLAY_DEADLOCK_TIMEOUT_MILLIS)
                  .build());
      worker.registerWorkflowImplementationTypes(
          DstackWorkflows.IMPLEMENTATIONS.toArray(Class<?>[]::new));
      WorkflowReplayer.replayWorkflowExecution(read(file), worker);
    }
  }

  @Test
  void everyWorkflowTypeHasHistories() throws Exception {
    Set<String> types = new TreeSet<>();
    for (var file : histories()) {
      var start = read(file).getEvents().getFirst();
      assertEquals(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, start.getEventType());
      types.add(start.getWorkflowExecutionStartedEventAttributes().getWorkflowType().getName());
    }
    assertEquals(Set.of("FleetWorkflow", "JobWorkflow", "RunWorkflow"), types);
  }

  @Test
  void historiesCarryNoLogLines() throws Exception {
    // Log bytes go to the log store, never through a workflow.
    for (var file : histories()) {
      assertFalse(Files.readString(file).contains("line 0"), file + " holds a log line");
    }
  }
}
