package ai.dstack.workflows.agents;

import io.temporal.activity.ActivityInterface;

/**
 * The runner inside a job's container: it takes the job, its code and files, runs it, and stops it
 * when asked.
 */
@ActivityInterface
public interface RunnerActivities {

  /** Waits until the runner answers its health check, heartbeating while it does not. */
  RunnerReady awaitRunner(AwaitRunner request);

  /** Hands the runner the job's spec (read from the database by the job's ids). */
  JobSubmitted submitJob(SubmitJob request);

  /**
   * Uploads the job's code (the repo diff) and file archives from the server's storage. Bytes go
   * from storage to the runner, never through the workflow.
   */
  CodeUploaded uploadCode(UploadCode request);

  /** Starts the job's commands. */
  JobStarted startJob(StartJob request);

  /** Asks the runner to stop the job gracefully (SIGTERM to its processes). */
  StopRequested stopJob(StopJob request);
}
