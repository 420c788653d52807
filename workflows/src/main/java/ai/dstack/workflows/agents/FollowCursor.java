package ai.dstack.workflows.agents;

/**
 * Where following a job has got to: the heartbeat details of {@link LogActivities#follow}.
 *
 * @param runnerTimestamp the runner's timestamp of the last event stored (its pull API's {@code
 *     timestamp} parameter)
 * @param jobLogLines how many job log lines are stored
 * @param runnerLogLines how many runner log lines are stored
 */
public record FollowCursor(long runnerTimestamp, long jobLogLines, long runnerLogLines) {

  /** Nothing stored yet. */
  public static final FollowCursor START = new FollowCursor(0, 0, 0);
}
