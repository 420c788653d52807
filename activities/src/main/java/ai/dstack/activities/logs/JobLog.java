package ai.dstack.activities.logs;

import ai.dstack.core.runs.JobSubmissionRef;
import java.util.Objects;
import java.util.UUID;

/**
 * One log of one job submission: what {@code logs/poll} names with its {@code run_name}, {@code
 * job_submission_id} and {@code diagnose}.
 *
 * @param project the project's name
 * @param runName the run's name
 * @param submissionId the job submission's id
 * @param producer whose output
 */
public record JobLog(String project, String runName, UUID submissionId, LogProducer producer) {

  public JobLog {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(runName, "runName");
    Objects.requireNonNull(submissionId, "submissionId");
    Objects.requireNonNull(producer, "producer");
  }

  /** The log of this producer of the submission. */
  public static JobLog of(JobSubmissionRef job, LogProducer producer) {
    return new JobLog(job.project(), job.runName(), job.submissionId(), producer);
  }

  /** e.g. {@code main/my-run/6f1c…/job}, for messages. */
  public String describe() {
    return project + "/" + runName + "/" + submissionId + "/" + producer.value();
  }
}
