package ai.dstack.workflows.agents;

import io.temporal.activity.ActivityInterface;

/**
 * Follows a running job: pulls its state changes and its job and runner logs from the runner, and
 * appends the logs to the log store.
 */
@ActivityInterface
public interface LogActivities {

  /**
   * Follows the job until the runner reports it finished and its last log lines are stored; returns
   * how it ended. Heartbeats a {@link FollowCursor} after each batch it stores, so a retry (a
   * worker crash, a heartbeat timeout) resumes after the last stored line: no line is lost or
   * stored twice. Log bytes never enter the workflow. Reports an unreachable runner as {@code
   * instance_unreachable} after dstack's two minutes.
   */
  JobExit follow(FollowJob request);
}
