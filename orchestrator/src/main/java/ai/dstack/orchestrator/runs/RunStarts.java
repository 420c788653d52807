package ai.dstack.orchestrator.runs;

import ai.dstack.core.runs.RunStatus;
import ai.dstack.orchestrator.api.ApiException;
import ai.dstack.orchestrator.temporal.TemporalWorkers;
import ai.dstack.workflows.runs.RunInput;
import ai.dstack.workflows.runs.RunWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Starts the runs' workflows after {@code runs/apply} has answered, as dstack's apply only stores
 * the run: the request no longer waits for Temporal, whose answer slows down while it carries the
 * earlier runs. Nothing is lost on the way: apply stores the workflow's input with the run, in the
 * same transaction, and it is cleared only once Temporal has taken the workflow. A start that fails
 * (Temporal away) is tried again with a growing pause; a server that dies before the start leaves
 * the input for the sweep, which every {@link #SWEEP} (and at once when the server starts) starts
 * what any server of the database left unstarted. Starting twice is harmless: a workflow id is
 * never reused ({@link WorkflowIdReusePolicy#WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE}), so a
 * second start finds it started.
 *
 * <p>Its lifecycle phase follows the workers' and precedes the web server's: the sweep runs before
 * the API answers, and the pending starts stop only after the API has.
 */
@Component
public class RunStarts implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(RunStarts.class);

  /** How often unstarted runs (left by a server that died, say) are looked for. */
  static final Duration SWEEP = Duration.ofSeconds(10);

  /** How long {@code runs/stop} waits for a run's workflow to start before it gives up. */
  static final Duration AWAIT = Duration.ofSeconds(30);

  /** Threads starting workflows; each start takes milliseconds, a burst queues. */
  private static final int STARTERS = 4;

  private static final Duration FIRST_PAUSE = Duration.ofMillis(100);
  private static final Duration LONGEST_PAUSE = Duration.ofSeconds(10);

  private final WorkflowClient temporal;
  private final RunStore store;
  private final Map<UUID, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
  private ExecutorService starts;
  private ScheduledExecutorService sweeper;
  private volatile boolean running;

  RunStarts(WorkflowClient temporal, RunStore store) {
    this.temporal = temporal;
    this.store = store;
  }

  /** The input a run's workflow starts with, as the run's row keeps it until then. */
  static String stored(RunInput input) {
    return RowJson.write(input);
  }

  /**
   * Starts the run's workflow in the background; its input is in the run's row ({@link
   * RunStore#insert}).
   */
  void startSoon(UUID runId, String workflowId, RunInput input) {
    launched(runId, workflowId, input);
  }

  /**
   * Returns once the run's workflow has started (at once when it had): what signals it (a stop)
   * comes after. Starts it here when no start is under way, as after a crash of the server that
   * applied it.
   *
   * @throws ApiException when it does not start within {@link #AWAIT}
   */
  void awaitStarted(UUID runId, String workflowId) {
    var future = pending.get(runId);
    if (future == null) {
      var input = store.workflowInput(runId);
      if (input.isEmpty()) {
        return;
      }
      future = launched(runId, workflowId, RowJson.read(input.get(), RunInput.class));
    }
    try {
      future.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw ApiException.badRequest(
          "The run's workflow "
              + workflowId
              + " has not started yet (see the server's log): the run is kept and starts once"
              + " Temporal takes it; try again then.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.badRequest("Interrupted while the run's workflow was starting");
    }
  }

  /** Starts what is unstarted in the database and no start here is under way for. */
  void sweep() {
    for (var run : store.unstarted()) {
      if (!running) {
        return;
      }
      if (pending.containsKey(run.runId())) {
        continue;
      }
      if (RunStatus.of(run.status()).isFinished()) {
        store.workflowStarted(run.runId()); // ended without it: nothing to start any more
        continue;
      }
      RunInput input;
      try {
        input = RowJson.read(run.workflowInput(), RunInput.class);
      } catch (IllegalStateException e) {
        log.error("run {}: its stored workflow input does not read: {}", run.workflowId(), e);
        continue;
      }
      launched(run.runId(), run.workflowId(), input);
    }
  }

  /** The run's start under way, or a new one. */
  private CompletableFuture<Void> launched(UUID runId, String workflowId, RunInput input) {
    var fresh = new CompletableFuture<Void>();
    var underWay = pending.putIfAbsent(runId, fresh);
    if (underWay != null) {
      return underWay;
    }
    fresh.whenComplete((ok, failed) -> pending.remove(runId, fresh));
    var executor = starts;
    if (executor == null || executor.isShutdown()) {
      fresh.completeExceptionally(new IllegalStateException("the server is stopping"));
      return fresh;
    }
    try {
      executor.execute(
          () -> {
            try {
              startUntilTaken(runId, workflowId, input);
              fresh.complete(null);
            } catch (Throwable e) {
              fresh.completeExceptionally(e);
            }
          });
    } catch (RejectedExecutionException stopping) {
      fresh.completeExceptionally(stopping); // the row keeps the input for the next sweep
    }
    return fresh;
  }

  private void startUntilTaken(UUID runId, String workflowId, RunInput input)
      throws InterruptedException {
    var pause = FIRST_PAUSE;
    for (int attempt = 1; ; attempt++) {
      try {
        startOnce(workflowId, input);
        store.workflowStarted(runId);
        if (attempt > 1) {
          log.info("run {}: its workflow started (attempt {})", workflowId, attempt);
        }
        return;
      } catch (RuntimeException e) {
        if (!running) {
          throw e; // the next server's sweep starts it
        }
        if (attempt == 1 || attempt % 10 == 0) {
          log.warn(
              "run {}: its workflow did not start (attempt {}): {}; trying again",
              workflowId,
              attempt,
              e.toString());
        }
      }
      Thread.sleep(pause.toMillis());
      var longer = pause.multipliedBy(2);
      pause = longer.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : longer;
    }
  }

  private void startOnce(String workflowId, RunInput input) {
    var stub =
        temporal.newWorkflowStub(
            RunWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(TemporalWorkers.TASK_QUEUE)
                .setWorkflowIdReusePolicy(
                    WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .build());
    try {
      WorkflowClient.start(stub::run, input);
    } catch (WorkflowExecutionAlreadyStarted e) {
      log.debug("run {}: its workflow had started already", workflowId);
    }
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    // Platform threads, not virtual ones: a start ends with a write to SQLite, whose busy wait
    // for the write lock sleeps in native code and so pins a virtual thread's carrier. With the
    // two carriers of a small host pinned so, the virtual thread holding the lock could not run to
    // release it: the 8-runs-at-once batch test saw every connection taken for 30 s.
    starts =
        Executors.newFixedThreadPool(
            STARTERS, Thread.ofPlatform().name("run-start-", 0).daemon().factory());
    sweeper =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("run-start-sweep").daemon().factory());
    running = true;
    sweeper.scheduleWithFixedDelay(
        () -> {
          try {
            sweep();
          } catch (RuntimeException e) {
            log.warn("the sweep for unstarted runs failed: {}", e.toString());
          }
        },
        0,
        SWEEP.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    sweeper.shutdownNow();
    starts.shutdown();
    try {
      // Starts under way finish (they take milliseconds); those still trying are cut short and
      // left to the next sweep.
      if (!starts.awaitTermination(5, TimeUnit.SECONDS)) {
        starts.shutdownNow();
      }
      sweeper.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      starts.shutdownNow();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return TemporalWorkers.PHASE + 1;
  }
}
