package ai.dstack.activities.offers;

import ai.dstack.core.runs.JobSubmissionRef;

/**
 * Where offer matching reads a job's requirements: the server implements it from the job spec it
 * stored when the run was submitted (workflow payloads carry no specs).
 */
@FunctionalInterface
public interface JobRequirementsSource {

  /**
   * The job's requirements.
   *
   * @throws java.util.NoSuchElementException when the server has no such job submission
   */
  JobRequirements requirements(JobSubmissionRef job);
}
