package ai.dstack.core.runs.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * One job of a run and its submissions, oldest first, dstack's {@code Job}. The CLI reads the last
 * submission ({@code job_submissions[-1]}), so runs the CLI shows need at least one.
 *
 * @param jobSpec the spec of the latest submission, without its SSH key
 * @param jobConnectionInfo how to reach the job while it runs ({@code runs/get}), or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Job(
    JobSpec jobSpec, List<JobSubmission> jobSubmissions, JobConnectionInfo jobConnectionInfo) {
  public Job {
    if (jobSpec == null) {
      throw new IllegalArgumentException("a job needs its spec");
    }
    jobSubmissions = jobSubmissions == null ? List.of() : List.copyOf(jobSubmissions);
  }

  /** The latest submission, or null when the job is listed without submissions. */
  public JobSubmission latestSubmission() {
    return jobSubmissions.isEmpty() ? null : jobSubmissions.getLast();
  }
}
