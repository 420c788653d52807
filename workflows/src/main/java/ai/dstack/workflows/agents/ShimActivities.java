package ai.dstack.workflows.agents;

import io.temporal.activity.ActivityInterface;

/** The shim on an instance: it runs each job in a container (or a plain process). */
@ActivityInterface
public interface ShimActivities {

  /**
   * Asks the shim to create the job's task (pull the image, create and start the container with the
   * runner). Idempotent by task id: a task that exists already is left as it is. Fails when the
   * shim cannot be reached or refuses the task; the job then falls back to its next offer.
   */
  TaskStarted startTask(StartTask request);

  /**
   * Waits until the task runs (image pulled, container up), heartbeating the shim's progress; or
   * reports that the shim gave up on it, and why.
   */
  TaskReady awaitTask(AwaitTask request);

  /** Kills the task at once (no grace): after a stop timed out, or on abort. Idempotent. */
  TaskKilled killTask(KillTask request);

  /**
   * Kills the task if it still runs and removes it (its container and files): the cleanup of every
   * job, whatever happened to it. Idempotent: an unknown task id is already removed.
   */
  TaskRemoved removeTask(RemoveTask request);
}
