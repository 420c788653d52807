package ai.dstack.workflows;

import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;

/**
 * Options for running a quick activity as a local activity: in the worker, within the workflow task
 * that calls it, instead of through the task queue and back (a round trip through the Temporal
 * server each).
 */
public final class LocalActivities {
  private LocalActivities() {}

  /** The same timeouts and retries as {@code options}, for a local activity. */
  public static LocalActivityOptions like(ActivityOptions options) {
    var local =
        LocalActivityOptions.newBuilder()
            .setStartToCloseTimeout(options.getStartToCloseTimeout())
            .setRetryOptions(options.getRetryOptions());
    if (options.getScheduleToCloseTimeout() != null) {
      local.setScheduleToCloseTimeout(options.getScheduleToCloseTimeout());
    }
    return local.build();
  }
}
