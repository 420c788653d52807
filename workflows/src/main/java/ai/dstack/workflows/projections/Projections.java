package ai.dstack.workflows.projections;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** How every workflow calls {@link ProjectionActivities}. */
public final class Projections {
  private Projections() {}

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
}
