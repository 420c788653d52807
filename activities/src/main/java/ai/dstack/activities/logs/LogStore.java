package ai.dstack.activities.logs;

import ai.dstack.core.agents.runner.LogEvent;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Durable job and runner logs, one append-only log per {@link JobLog}: the follow activity appends
 * what it pulls from the runner, and the server reads pages for {@code logs/poll}.
 *
 * <p>Appends are idempotent by timestamp: the runner's timestamps are strictly increasing, and an
 * event at or before the last one stored is already stored and skipped. A follow that is retried
 * from an older cursor (a worker crash between storing and heartbeating, or heartbeat details older
 * than the last store, since Temporal sends heartbeats throttled) therefore stores each event
 * exactly once: the runner frees events only once they are stored, and pulling again from an older
 * timestamp hands over only what is not yet freed.
 */
public interface LogStore {

  /**
   * Appends the events that are newer than the log's last event and makes them durable before
   * returning.
   *
   * @param log the log
   * @param events events in the runner's order (increasing timestamps)
   * @return how many events the log holds now
   * @throws UncheckedIOException when the events could not be stored; none or some of them may be,
   *     and a retried append stores the rest
   */
  long append(JobLog log, List<LogEvent> events);

  /**
   * How many events the log holds (0 for a log never written).
   *
   * @throws UncheckedIOException when the log cannot be read
   */
  long count(JobLog log);

  /**
   * A page of the log, with the paging of dstack's {@code logs/poll}: pass the returned {@code
   * next_token} back to get the next page; a null token means no more events follow.
   *
   * @throws IllegalArgumentException for a {@code next_token} this store never gave (the API's 400)
   * @throws UncheckedIOException when the log cannot be read
   */
  LogPage poll(JobLog log, LogQuery query);
}
