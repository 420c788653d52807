package ai.dstack.orchestrator.persistence;

import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/**
 * dstack's paging of lists by {@code (created_at, id)}: newest first with ids ascending, or oldest
 * first with ids descending; the next page starts after the previous page's last row.
 *
 * @param prevCreatedAt {@code created_at} of the previous page's last row, or null for the first
 * @param prevId {@code id} of the previous page's last row, or null
 * @param limit at most this many rows
 * @param ascending oldest first
 */
public record Keyset(Instant prevCreatedAt, UUID prevId, int limit, boolean ascending) {

  /** The condition on {@code alias.created_at} and {@code alias.id}, or null on the first page. */
  public String condition(String alias) {
    if (prevCreatedAt == null) {
      return null;
    }
    String after = ascending ? ">" : "<";
    if (prevId == null) {
      return alias + ".created_at " + after + " :prevCreatedAt";
    }
    String idAfter = ascending ? "<" : ">";
    return "("
        + alias
        + ".created_at "
        + after
        + " :prevCreatedAt OR ("
        + alias
        + ".created_at = :prevCreatedAt AND "
        + alias
        + ".id "
        + idAfter
        + " :prevId))";
  }

  /** {@code ORDER BY ... LIMIT n} for {@code alias}. */
  public String orderAndLimit(String alias) {
    return ascending
        ? " ORDER BY " + alias + ".created_at ASC, " + alias + ".id DESC LIMIT " + limit
        : " ORDER BY " + alias + ".created_at DESC, " + alias + ".id ASC LIMIT " + limit;
  }

  /** Binds the parameters {@link #condition} names. */
  public void bind(MapSqlParameterSource parameters, SqlValues values) {
    parameters.addValue("prevCreatedAt", values.of(prevCreatedAt));
    parameters.addValue("prevId", values.of(prevId));
  }

  /** {@code LOWER(column) LIKE :name ESCAPE '/'} matches names containing {@code text}. */
  public static String containsPattern(String text) {
    String escaped = text.toLowerCase(java.util.Locale.ROOT).replaceAll("([/%_])", "/$1");
    return "%" + escaped + "%";
  }
}
