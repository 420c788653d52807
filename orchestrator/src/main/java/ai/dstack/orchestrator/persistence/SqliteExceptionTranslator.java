package ai.dstack.orchestrator.persistence;

import java.sql.SQLException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * A duplicate primary key or unique value on SQLite as a {@link DuplicateKeyException}, as on
 * PostgreSQL, so code that catches it works on both. The driver's error code is SQLite's primary
 * result code (a constraint failed), which does not say which constraint; its extended result code
 * does. Named by {@code sql-error-codes.xml}; other errors fall through to the error codes there.
 */
public class SqliteExceptionTranslator implements SQLExceptionTranslator {

  @Override
  public DataAccessException translate(String task, String sql, SQLException e) {
    if (e instanceof SQLiteException sqlite
        && (sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY
            || sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE)) {
      return new DuplicateKeyException(
          task + "; " + (sql == null ? "" : "SQL [" + sql + "]; ") + e.getMessage(), e);
    }
    return null;
  }
}
