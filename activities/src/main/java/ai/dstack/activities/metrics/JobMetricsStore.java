package ai.dstack.activities.metrics;

import ai.dstack.core.agents.runner.MetricsResponse;
import java.util.UUID;

/** Where samples of running jobs' resource use go. Implementations are thread-safe. */
public interface JobMetricsStore {

  /** Keeps nothing: for workers whose server serves no metrics. */
  JobMetricsStore NONE = (jobSubmissionId, sample) -> {};

  /**
   * Keeps one sample of a job submission's resource use; storing the same sample twice keeps one.
   *
   * @param jobSubmissionId the job submission (dstack's job id)
   * @param sample the runner's figures, as read at {@link MetricsResponse#timestampMicro()}
   */
  void store(UUID jobSubmissionId, MetricsResponse sample);
}
