package ai.dstack.orchestrator.persistence;

import java.sql.JDBCType;
import org.springframework.data.jdbc.core.convert.JdbcConverter;
import org.springframework.stereotype.Component;

/**
 * Java values as the database's JDBC driver takes them, for hand-written SQL: the same conversions
 * Spring Data JDBC applies to entities (UUIDs as text on SQLite, instants as timestamps).
 */
@Component
public class SqlValues {

  private final JdbcConverter converter;

  SqlValues(JdbcConverter converter) {
    this.converter = converter;
  }

  /** The value to bind for {@code value}; null stays null. */
  public Object of(Object value) {
    if (value == null) {
      return null;
    }
    return converter.writeJdbcValue(value, value.getClass(), JDBCType.OTHER).getValue();
  }
}
