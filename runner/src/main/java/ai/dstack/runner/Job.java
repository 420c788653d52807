package ai.dstack.runner;

import ai.dstack.core.agents.runner.JobInfoResponse;
import ai.dstack.core.agents.runner.JobState;
import ai.dstack.core.agents.runner.PullResponse;
import ai.dstack.core.agents.runner.SubmitBody;
import ai.dstack.core.agents.runner.TerminationReason;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The runner's one job and the order of its API calls: submit (again, if need be), uploads, run;
 * pull and stop at any time.
 */
final class Job {
  /** Where the runner is in its life; the API accepts each call in some of them only. */
  enum Phase {
    /** Waiting for {@code /api/submit}. */
    WAIT_SUBMIT,
    /** Submitted: uploads and {@code /api/run} are accepted, and submit again. */
    WAIT_RUN,
    /** The job runs; its events are pulled. */
    RUNNING,
    /** The job is over; its last events wait to be pulled. */
    FINISHED
  }

  private final RunnerPaths paths;
  private final EventLog events;
  private final RunnerLog log;
  private final ReentrantLock lock = new ReentrantLock();
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private final CompletableFuture<Void> handedOver = new CompletableFuture<>();
  private Phase phase = Phase.WAIT_SUBMIT;
  private SubmitBody submitted;
  private JobExecution execution;

  Job(RunnerPaths paths, EventLog events, RunnerLog log) {
    this.paths = paths;
    this.events = events;
    this.log = log;
  }

  /** Completes when the job was run (or stopped before it ran). */
  CompletableFuture<Void> started() {
    return started;
  }

  /** Completes when the job is over and its final state recorded. */
  CompletableFuture<Void> finished() {
    return finished;
  }

  /** Completes when a pull handed over the job's last events. */
  CompletableFuture<Void> handedOver() {
    return handedOver;
  }

  void submit(SubmitBody body) {
    lock.lock();
    try {
      if (phase != Phase.WAIT_SUBMIT && phase != Phase.WAIT_RUN) {
        throw ApiError.conflict(
            "the job was already run (the runner is " + describe() + "); submit comes before run");
      }
      if (phase == Phase.WAIT_RUN) {
        log.warn("Job already submitted, submitting again");
      }
      submitted = body;
      phase = Phase.WAIT_RUN;
      String runName = body.effectiveRunSpec() == null ? null : body.effectiveRunSpec().runName();
      log.info("Job submitted: run %s, job %d", runName, body.jobSpec().jobNum());
    } finally {
      lock.unlock();
    }
  }

  void uploadCode(InputStream content) throws IOException {
    lock.lock();
    try {
      requireSubmitted("upload_code");
      Uploads.store(content, paths.uploads().code());
    } finally {
      lock.unlock();
    }
  }

  void uploadArchive(String id, InputStream content) throws IOException {
    lock.lock();
    try {
      requireSubmitted("upload_archive");
      Uploads.store(content, paths.uploads().archive(id));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs the job: resolves its user and working dir now, the rest on the job's thread.
   *
   * @return where and as whom it runs; null when that could not be resolved (the job then failed,
   *     as the next pull tells)
   */
  JobInfoResponse run() {
    lock.lock();
    try {
      requireSubmitted("run");
      phase = Phase.RUNNING;
      started.complete(null);
      execution = new JobExecution(submitted, paths, events, log);
      JobInfoResponse info;
      try {
        info = execution.prepare();
      } catch (JobExecution.JobFailure failure) {
        log.error("Job failed: %s", failure.getMessage());
        events.appendState(failure.state(), failure.reason(), failure.getMessage(), null);
        end();
        return null;
      }
      execution.start(this::end);
      return info;
    } finally {
      lock.unlock();
    }
  }

  /** Stops the job; before it ran, the runner ends with the job terminated. */
  void stop() {
    lock.lock();
    try {
      switch (phase) {
        case WAIT_SUBMIT, WAIT_RUN -> {
          log.info("Stopped before the job ran");
          events.appendState(JobState.TERMINATED, TerminationReason.TERMINATED_BY_USER, null, null);
          started.complete(null);
          end();
        }
        case RUNNING -> execution.stop(TerminationReason.TERMINATED_BY_USER);
        case FINISHED -> {}
      }
    } finally {
      lock.unlock();
    }
  }

  PullResponse pull(long timestamp) throws IOException {
    PullResponse response = events.pull(timestamp);
    if (!response.hasMore()) {
      handedOver.complete(null);
    }
    return response;
  }

  /**
   * On the runner's own shutdown (SIGTERM from its host or the shim, not a stop through its API):
   * the job's process group does not outlive it, the job ends failed with {@code executor_error},
   * and the runner waits a little for the server to pull that end.
   */
  void shutdown() {
    JobExecution running;
    lock.lock();
    try {
      running = phase == Phase.RUNNING ? execution : null;
    } finally {
      lock.unlock();
    }
    if (running != null) {
      running.kill(Duration.ofSeconds(2));
      try {
        finished.get(5, TimeUnit.SECONDS);
        handedOver.get(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        log.warn("Shutting down before the job's last events were pulled");
      }
    }
  }

  private void end() {
    lock.lock();
    try {
      phase = Phase.FINISHED;
      events.finish();
      finished.complete(null);
    } finally {
      lock.unlock();
    }
  }

  private void requireSubmitted(String call) {
    if (phase != Phase.WAIT_RUN) {
      throw ApiError.conflict(
          call + " is accepted after submit and before run, and the runner is " + describe());
    }
  }

  private String describe() {
    return switch (phase) {
      case WAIT_SUBMIT -> "waiting for a job to be submitted";
      case WAIT_RUN -> "waiting for the submitted job to be run";
      case RUNNING -> "running the job";
      case FINISHED -> "done with the job";
    };
  }
}
