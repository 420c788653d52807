package ai.dstack.core.runs;

/**
 * What the workflows need to know of a job's spec (dstack's {@code JobSpec}); the full spec, with
 * its commands, environment and keys, stays in the server's database and never enters a workflow
 * history.
 *
 * @param jobName e.g. {@code my-task-0-0}
 * @param replicaNum the replica the job belongs to
 * @param jobNum the job's number within its replica (its node)
 * @param jobsPerReplica how many jobs (nodes) each replica has
 * @param imageName the container image
 * @param maxDurationSeconds how long the job may run before it is stopped, or null for no limit
 * @param stopDurationSeconds how long a graceful stop may take before the job is killed, or null
 *     for no limit
 * @param retry the retry policy, or null for none
 * @param requirements the resources asked for, as dstack prints them (for messages)
 */
public record JobSpecSummary(
    String jobName,
    int replicaNum,
    int jobNum,
    int jobsPerReplica,
    String imageName,
    Long maxDurationSeconds,
    Long stopDurationSeconds,
    RetryPolicy retry,
    String requirements) {

  /** dstack's default {@code stop_duration}: five minutes. */
  public static final long DEFAULT_STOP_DURATION_SECONDS = 300;
}
