package ai.dstack.activities.agents;

import ai.dstack.core.agents.runner.SubmitBody;
import ai.dstack.core.agents.shim.TaskSubmitRequest;
import ai.dstack.core.runs.InstanceOffer;
import ai.dstack.core.runs.JobSubmissionRef;
import ai.dstack.workflows.agents.TaskTarget;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the agent activities send for a job submission, read from where the server keeps it (its
 * database and code storage): the port the server implements. Every method may be called again on a
 * retry and must then answer the same.
 */
public interface JobPayloads {

  /**
   * The body of the shim's task submission: the job's image, its share of the instance (CPU,
   * memory, GPUs of {@code offer}), mounts, keys, and the runner's port. Its {@code id} must be
   * {@code task.taskId()}.
   */
  TaskSubmitRequest taskRequest(TaskTarget task, InstanceOffer offer);

  /**
   * The port the task's runner listens on: the {@code runner_port} of {@link #taskRequest}, or the
   * shim's default when that is 0.
   */
  int runnerPort(TaskTarget task);

  /** The body of the runner's {@code /api/submit}: the job's spec, run and cluster. */
  SubmitBody submitBody(JobSubmissionRef job);

  /**
   * The run's code: a tar archive of a {@code local} or {@code virtual} repo, or the diff of a
   * {@code remote} one; empty when the run has none.
   */
  Optional<Payload> code(JobSubmissionRef job);

  /** The file archives the job spec's {@code file_archives} name, in any order; often none. */
  List<FileArchive> fileArchives(JobSubmissionRef job);

  /**
   * Bytes to upload, read once per upload attempt, so they need not fit in memory.
   *
   * @param size how many bytes {@code source} gives
   * @param source opens them
   */
  record Payload(long size, Source source) {

    public Payload {
      if (size < 0) {
        throw new IllegalArgumentException("a payload's size is at least 0, not " + size);
      }
      Objects.requireNonNull(source, "source");
    }

    /** These bytes. */
    public static Payload of(byte[] bytes) {
      byte[] copy = bytes.clone();
      return new Payload(copy.length, () -> new ByteArrayInputStream(copy));
    }
  }

  /** Opens a payload's bytes. */
  @FunctionalInterface
  interface Source {
    /** A fresh stream of the bytes, from the first. */
    InputStream open() throws IOException;
  }

  /**
   * A file archive: a tar of one top-level entry, extracted where the job spec's mapping of {@code
   * id} says.
   *
   * @param id the archive's id, as in the job spec's {@code file_archives}
   * @param payload its bytes
   */
  record FileArchive(String id, Payload payload) {

    public FileArchive {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(payload, "payload");
    }
  }
}
