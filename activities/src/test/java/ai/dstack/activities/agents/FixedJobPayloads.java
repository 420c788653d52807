package ai.dstack.activities.agents;

import ai.dstack.core.agents.runner.SubmitBody;
import ai.dstack.core.agents.shim.TaskSubmitRequest;
import ai.dstack.core.runs.InstanceOffer;
import ai.dstack.core.runs.JobSubmissionRef;
import ai.dstack.workflows.agents.TaskTarget;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** {@link JobPayloads} over fixed test data, one entry per job submission. */
final class FixedJobPayloads implements JobPayloads {

  /**
   * What a test job sends.
   *
   * @param task the shim task request
   * @param submit the runner submit body
   * @param code the code, or null for none
   * @param archives the file archives
   */
  record Entry(
      TaskSubmitRequest task, SubmitBody submit, byte[] code, List<FileArchive> archives) {}

  private final Map<UUID, Entry> entries = new ConcurrentHashMap<>();

  void put(JobSubmissionRef job, Entry entry) {
    entries.put(job.submissionId(), entry);
  }

  private Entry entry(JobSubmissionRef job) {
    var entry = entries.get(job.submissionId());
    if (entry == null) {
      throw new IllegalStateException("no test payloads for " + job.describe());
    }
    return entry;
  }

  @Override
  public TaskSubmitRequest taskRequest(TaskTarget task, InstanceOffer offer) {
    return entry(task.job()).task();
  }

  @Override
  public int runnerPort(TaskTarget task) {
    return entry(task.job()).task().runnerPort();
  }

  @Override
  public SubmitBody submitBody(JobSubmissionRef job) {
    return entry(job).submit();
  }

  @Override
  public Optional<Payload> code(JobSubmissionRef job) {
    byte[] code = entry(job).code();
    return code == null ? Optional.empty() : Optional.of(Payload.of(code));
  }

  @Override
  public List<FileArchive> fileArchives(JobSubmissionRef job) {
    return entry(job).archives();
  }
}
