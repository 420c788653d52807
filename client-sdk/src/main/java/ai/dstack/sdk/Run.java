package ai.dstack.sdk;

import ai.dstack.core.api.runs.DeleteRunsRequest;
import ai.dstack.core.api.runs.GetRunRequest;
import ai.dstack.core.api.runs.StopRunsRequest;
import ai.dstack.core.runs.RunStatus;
import ai.dstack.core.runs.wire.JobSubmission;
import ai.dstack.sdk.api.DstackException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A run on the server, as a handle: what it was when last fetched ({@link #model()}), and what to
 * do with it: follow its logs, await its end, stop or delete it. Thread-safe; {@link #refresh()}
 * fetches it again.
 *
 * <pre>{@code
 * Run run = dstack.apply(Path.of("train.dstack.yml"));
 * try (Stream<String> lines = run.logs()) {
 *   lines.forEach(System.out::println);   // until the run ends
 * }
 * RunStatus status = run.await(Duration.ofMinutes(1));
 * }</pre>
 */
public final class Run {
  private final Dstack dstack;
  private volatile ai.dstack.core.runs.wire.Run model;

  Run(Dstack dstack, ai.dstack.core.runs.wire.Run model) {
    this.dstack = dstack;
    this.model = model;
  }

  /** The run's name. */
  public String name() {
    return model.runSpec().runName();
  }

  /** The run's id. */
  public UUID id() {
    return model.id();
  }

  /** The run's project. */
  public String project() {
    return model.projectName();
  }

  /** The run as the server showed it last ({@link #refresh()} asks again). */
  public ai.dstack.core.runs.wire.Run model() {
    return model;
  }

  /** The run's status when last fetched. */
  public RunStatus status() {
    return model.status();
  }

  /**
   * The exit status of the first job's latest submission when last fetched, or null while it has
   * none (it runs, or it never ran).
   */
  public Integer exitStatus() {
    JobSubmission latest = model.latestJobSubmission();
    return latest == null ? null : latest.exitStatus();
  }

  /** Fetches the run again (by id, so a later run of the same name is not mistaken for it). */
  public Run refresh() {
    model = dstack.api().runs().get(project(), GetRunRequest.byId(model.id()));
    return this;
  }

  /**
   * The lines the run's (first) job writes, as they come, until the run ends: each line once, in
   * order, without its newline. Lines already written come first, so a finished run gives its whole
   * log. The stream blocks while waiting for more; close it to stop following.
   *
   * @throws DstackException from the stream's operations, when a call fails
   */
  public Stream<String> logs() {
    return stream(new LogLines(new LogFollower(this, true, dstack.maxPollInterval())));
  }

  /** The lines the run's (first) job has written so far, without waiting for more. */
  public List<String> logsSoFar() {
    try (var lines = stream(new LogLines(new LogFollower(this, false, dstack.maxPollInterval())))) {
      return lines.toList();
    }
  }

  /**
   * Waits until the run has finished: done, failed or terminated.
   *
   * @return the final status ({@link #model()} holds the finished run)
   * @throws TimeoutException when the run has not finished within {@code timeout}
   * @throws InterruptedException when the waiting thread is interrupted
   */
  public RunStatus await(Duration timeout) throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Duration wait = Duration.ofMillis(200);
    while (true) {
      RunStatus status = refresh().status();
      if (status.isFinished()) {
        return status;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException(
            "Run " + name() + " is still " + status.value() + " after " + timeout);
      }
      Thread.sleep(Math.min(wait.toMillis(), Math.max(1, left / 1_000_000)));
      wait = wait.multipliedBy(3).dividedBy(2);
      if (wait.compareTo(dstack.maxPollInterval()) > 0) {
        wait = dstack.maxPollInterval();
      }
    }
  }

  /**
   * Asks the server to stop the run: gracefully (its jobs get a stop signal and the stop duration
   * to exit), or at once when {@code abort}. Does not wait; {@link #await} does. Stopping a
   * finished run does nothing.
   */
  public void stop(boolean abort) {
    dstack.api().runs().stop(project(), new StopRunsRequest(List.of(name()), abort));
  }

  /**
   * Deletes the finished run.
   *
   * @throws DstackException.ServerError when the run is still active
   */
  public void delete() {
    dstack.api().runs().delete(project(), new DeleteRunsRequest(List.of(name())));
  }

  Dstack dstack() {
    return dstack;
  }

  private static <T> Stream<T> stream(Iterator<T> iterator) {
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED | Spliterator.NONNULL),
        false);
  }

  @Override
  public String toString() {
    return "Run[" + name() + ", " + model.status().value() + "]";
  }
}
