package ai.dstack.workflows.runs;

import java.util.UUID;

/**
 * Stop a run ({@code dstack stop}).
 *
 * @param abort {@code dstack stop -x}: kill the jobs at once instead of stopping them gracefully
 * @param userId the user who asked, recorded as the actor of the run's change to terminating; null
 *     in signals sent before it was added, and when the server stops the run by itself
 */
public record StopRun(boolean abort, UUID userId) {

  /** A stop nobody in particular asked for. */
  public StopRun(boolean abort) {
    this(abort, null);
  }
}
