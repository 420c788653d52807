package ai.dstack.sdk;

import ai.dstack.core.api.logs.PollLogsRequest;
import ai.dstack.core.runs.wire.JobSubmission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.CancellationException;

/**
 * The log of a run's first job as it grows, as byte chunks in order, each once: pages of {@code
 * logs/poll} (following {@code next_token}), then, when no more events are there, later pages of
 * events after the last one seen (the server's timestamps increase strictly within a log), until
 * the run has finished and the log is drained once more after that (the server stores a job's last
 * lines before it finishes the job).
 */
final class LogFollower implements Iterator<byte[]> {
  private static final Duration FIRST_WAIT = Duration.ofMillis(200);

  private final Run run;
  private final boolean follow;
  private final Duration maxWait;
  private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();

  private UUID submissionId;
  private Instant lastSeen;
  private Instant chainStart;
  private String nextToken;
  private boolean finishedSeen;
  private boolean done;
  private Duration wait = FIRST_WAIT;

  LogFollower(Run run, boolean follow, Duration maxWait) {
    this.run = run;
    this.follow = follow;
    this.maxWait = maxWait;
  }

  @Override
  public boolean hasNext() {
    while (chunks.isEmpty() && !done) {
      fetch();
    }
    return !chunks.isEmpty();
  }

  @Override
  public byte[] next() {
    if (!hasNext()) {
      throw new NoSuchElementException("the run's log has ended");
    }
    return chunks.removeFirst();
  }

  private void fetch() {
    if (submissionId == null) {
      JobSubmission submission = latestSubmission();
      if (submission == null) {
        // Not submitted to a job yet: wait for one, unless the run ended without any.
        if (run.model().status().isFinished() || !follow) {
          done = true;
        } else {
          pause();
          run.refresh();
        }
        return;
      }
      submissionId = submission.id();
    }
    var page =
        run.dstack()
            .api()
            .logs()
            .poll(
                run.project(),
                PollLogsRequest.after(run.name(), submissionId, chainStart, nextToken));
    for (var event : page.logs()) {
      chunks.add(event.bytes());
      lastSeen = event.timestamp();
    }
    if (page.nextToken() != null) {
      nextToken = page.nextToken();
      return;
    }
    nextToken = null;
    chainStart = lastSeen;
    if (!page.logs().isEmpty()) {
      wait = FIRST_WAIT;
      return;
    }
    // Drained. Done if the run had finished before this drain began, or if not following.
    if (finishedSeen || !follow) {
      done = true;
      return;
    }
    pause();
    var model = run.refresh().model();
    if (model.status().isFinished()) {
      finishedSeen = true;
    }
    var latest = latestSubmission();
    if (latest != null && !latest.id().equals(submissionId)) {
      // Resubmitted (a retry): the earlier submission's log is complete; follow the new one.
      submissionId = latest.id();
      lastSeen = null;
      chainStart = null;
    }
  }

  private JobSubmission latestSubmission() {
    var jobs = run.model().jobs();
    for (var job : jobs) {
      if (job.jobSpec().jobNum() == 0 && job.jobSpec().replicaNum() == 0) {
        return job.latestSubmission();
      }
    }
    return jobs.isEmpty() ? run.model().latestJobSubmission() : jobs.getFirst().latestSubmission();
  }

  private void pause() {
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      var cancelled = new CancellationException("Interrupted while following " + run.name());
      cancelled.initCause(e);
      throw cancelled;
    }
    wait = wait.multipliedBy(2).compareTo(maxWait) > 0 ? maxWait : wait.multipliedBy(2);
  }
}
