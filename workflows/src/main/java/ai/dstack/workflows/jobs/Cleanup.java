package ai.dstack.workflows.jobs;

import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The undo steps of a job, registered before the side effects they undo (keyed by the side effect's
 * request id) and run in a detached cancellation scope, so a stop, a cancellation or a failure
 * never skips them. Each step runs once; a failing step does not keep the others from running.
 */
final class Cleanup {
  private static final Logger log = Workflow.getLogger(Cleanup.class);

  private final Map<String, Runnable> steps = new LinkedHashMap<>();

  /** Registers {@code step} under {@code key}, before the side effect it undoes. */
  void register(String key, Runnable step) {
    steps.put(key, step);
  }

  /** Whether the step under {@code key} is still to run. */
  boolean pending(String key) {
    return steps.containsKey(key);
  }

  /** Runs the step under {@code key} now, if it has not run. */
  void runNow(String key) {
    var step = steps.remove(key);
    if (step != null) {
      runDetached(key, step);
    }
  }

  /** Runs every step not yet run, the latest registered first. */
  void runAll() {
    var keys = new ArrayList<>(steps.keySet());
    for (int i = keys.size() - 1; i >= 0; i--) {
      runNow(keys.get(i));
    }
  }

  /** Runs {@code step} once, detached from any cancellation, logging (not throwing) its failure. */
  static void runDetached(String key, Runnable step) {
    try {
      Workflow.newDetachedCancellationScope(step).run();
    } catch (TemporalFailure | SignalExternalWorkflowException e) {
      // Its retries are spent; what it left is for the instance's sweep of dangling tasks.
      log.warn("cleanup {} failed: {}", key, e.getMessage());
    }
  }
}
