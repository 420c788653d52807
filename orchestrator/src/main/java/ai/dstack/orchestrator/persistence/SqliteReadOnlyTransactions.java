package ai.dstack.orchestrator.persistence;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.sqlite.SQLiteConfig.TransactionMode;
import org.sqlite.SQLiteConnection;

/**
 * The server's SQLite connections, whose read-only transactions begin DEFERRED.
 *
 * <p>With {@code transaction_mode=IMMEDIATE} every transaction takes the database's one write lock
 * at BEGIN, read-only ones too (Spring Data's finders run in one: every project, user and run
 * lookup). In a burst of requests they all queued for that lock on SQLite's busy handler, which
 * favours no one, and a lookup could lose every try until its {@code busy_timeout} (CI: twenty runs
 * applied at once, one {@code runs/apply} failed with SQLITE_BUSY). A read-only transaction here
 * begins DEFERRED: in WAL mode it reads a snapshot beside the writer and takes no lock; writing
 * transactions still begin IMMEDIATE. sqlite-jdbc cannot switch an open connection to read-only, so
 * {@code setReadOnly} only chooses the next transaction's mode.
 */
final class SqliteReadOnlyTransactions extends DelegatingDataSource implements AutoCloseable {

  SqliteReadOnlyTransactions(DataSource target) {
    super(target);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return choosingMode(super.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return choosingMode(super.getConnection(username, password));
  }

  /** Closes the pool. */
  @Override
  public void close() throws Exception {
    if (getTargetDataSource() instanceof AutoCloseable pool) {
      pool.close();
    }
  }

  private static Connection choosingMode(Connection connection) {
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            new ModeChoosingConnection(connection));
  }

  private static final class ModeChoosingConnection implements InvocationHandler {
    private final Connection target;
    private boolean readOnly;

    ModeChoosingConnection(Connection target) {
      this.target = target;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      switch (method.getName()) {
        case "setReadOnly" -> {
          readOnly = (Boolean) args[0];
          return null;
        }
        case "isReadOnly" -> {
          return readOnly;
        }
        case "equals" -> {
          return proxy == args[0];
        }
        case "hashCode" -> {
          return System.identityHashCode(proxy);
        }
        case "setAutoCommit" -> {
          if (!(Boolean) args[0] && target.getAutoCommit()) {
            target
                .unwrap(SQLiteConnection.class)
                .getConnectionConfig()
                .setTransactionMode(
                    readOnly ? TransactionMode.DEFERRED : TransactionMode.IMMEDIATE);
          }
          return call(method, args);
        }
        default -> {
          return call(method, args);
        }
      }
    }

    private Object call(Method method, Object[] args) throws Throwable {
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }
}
