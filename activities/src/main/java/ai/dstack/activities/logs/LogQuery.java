package ai.dstack.activities.logs;

import java.time.Instant;

/**
 * A page request of {@code logs/poll}, with dstack's semantics.
 *
 * <p>Ascending, events with a timestamp at or before {@code startTime} are skipped and the page
 * ends at the first event at or after {@code endTime}. Descending (newest first), events after
 * {@code endTime} are skipped and the page ends at the first event at or before {@code startTime}.
 *
 * @param startTime exclusive lower bound, or null
 * @param endTime upper bound (exclusive ascending, inclusive descending, as dstack's file store),
 *     or null
 * @param descending newest first
 * @param nextToken the {@link LogPage#nextToken()} of the previous page in the same direction, or
 *     null for the first page; opaque to callers
 * @param limit the most events on the page, at least 1
 */
public record LogQuery(
    Instant startTime, Instant endTime, boolean descending, String nextToken, int limit) {

  public LogQuery {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, not " + limit);
    }
  }

  /** The first {@code limit} events, oldest first, without time bounds. */
  public static LogQuery first(int limit) {
    return new LogQuery(null, null, false, null, limit);
  }

  /** This query for the page after {@code page} (same bounds and direction). */
  public LogQuery next(LogPage page) {
    return new LogQuery(startTime, endTime, descending, page.nextToken(), limit);
  }
}
