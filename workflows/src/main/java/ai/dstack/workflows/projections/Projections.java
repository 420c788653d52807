package ai.dstack.workflows.projections;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import org.slf4j.Logger;

/** How every workflow calls {@link ProjectionActivities}. */
public final class Projections {
  private Projections() {}

  private static final Logger log = Workflow.getLogger(Projections.class);

  /**
   * Projections write one database row: seconds. Retried without limit, backing off to 10 s, since
   * the list views must eventually show every state; writes are idempotent by sequence.
   */
  public static final ActivityOptions OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(10))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofMillis(200))
                  .setMaximumInterval(Duration.ofSeconds(10))
                  .build())
          .build();

  /**
   * Starts {@code write} (a projection activity call) in the background, once {@code previous} (the
   * write started this way before it, or null) has finished: a workflow's writes land in the order
   * made, and its next step does not wait for them. The write runs detached from any cancellation,
   * so a stop never drops it. Wait for the returned promise before the workflow closes; it never
   * fails (a write whose retries are spent is logged, and the next one, with a newer sequence,
   * carries the state anyway).
   */
  public static Promise<Void> inBackground(Promise<Void> previous, Runnable write) {
    var started = new ArrayList<Promise<Void>>(1);
    Workflow.newDetachedCancellationScope(
            () ->
                started.add(
                    Async.procedure(
                        () -> {
                          if (previous != null) {
                            previous.get();
                          }
                          try {
                            write.run();
                          } catch (TemporalFailure e) {
                            log.warn("projection write failed: {}", e.getMessage());
                          }
                        })))
        .run();
    return started.getFirst();
  }
}
