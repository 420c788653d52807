package ai.dstack.orchestrator.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Reads the values {@link SqlValues} writes, from hand-written queries on either database: UUIDs
 * are text on SQLite, instants epoch milliseconds on SQLite and timestamps on PostgreSQL.
 */
public final class SqlRows {
  private SqlRows() {}

  /** The UUID in {@code column}, or null. */
  public static UUID uuid(ResultSet rs, String column) throws SQLException {
    Object value = rs.getObject(column);
    if (value == null) {
      return null;
    }
    return value instanceof UUID id ? id : UUID.fromString(value.toString());
  }

  /** The instant in {@code column}, or null. */
  public static Instant instant(ResultSet rs, String column) throws SQLException {
    Object value = rs.getObject(column);
    return switch (value) {
      case null -> null;
      case Number millis -> Instant.ofEpochMilli(millis.longValue());
      case Timestamp timestamp -> timestamp.toInstant();
      case OffsetDateTime time -> time.toInstant();
      case String text ->
          text.chars().allMatch(Character::isDigit)
              ? Instant.ofEpochMilli(Long.parseLong(text))
              : Instant.parse(text);
      default -> throw new SQLException("column " + column + " holds no instant: " + value);
    };
  }

  /** The integer in {@code column}, or null. */
  public static Integer integer(ResultSet rs, String column) throws SQLException {
    int value = rs.getInt(column);
    return rs.wasNull() ? null : value;
  }
}
