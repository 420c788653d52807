package ai.dstack.orchestrator.persistence;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.sqlite.SQLiteConfig.TransactionMode;
import org.sqlite.SQLiteConnection;

/**
 * The server's SQLite connections, with its transactions queued for the one writer SQLite allows.
 *
 * <p>With {@code transaction_mode=IMMEDIATE} a transaction takes the database's write lock at
 * BEGIN; one that finds it taken retries on SQLite's busy handler, which sleeps up to 100 ms
 * between tries and favours no one: in a burst of writes (twenty runs applied at once, their jobs'
 * projections beside them) a transaction could lose every try until its {@code busy_timeout} and
 * fail the request. Here a transaction first waits its turn on a fair semaphore of one permit, held
 * from BEGIN ({@code setAutoCommit(false)}) until the connection is back in auto-commit mode or
 * closed, so the server's writers take the lock in the order they asked for it.
 *
 * <p>A read-only transaction (Spring Data's finders are) begins DEFERRED instead and does not
 * queue: in WAL mode it reads a snapshot beside the writer. sqlite-jdbc cannot switch a connection
 * to read-only once open, so {@code setReadOnly} only chooses the transaction mode here.
 */
final class SqliteWriterQueue extends DelegatingDataSource implements AutoCloseable {
  private final Semaphore writer = new Semaphore(1, true);
  private final Duration patience;

  /**
   * @param target the pool of SQLite connections
   * @param patience how long a transaction waits for its turn before it fails, as SQLite's {@code
   *     busy_timeout} would
   */
  SqliteWriterQueue(DataSource target, Duration patience) {
    super(target);
    this.patience = patience;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return queued(super.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return queued(super.getConnection(username, password));
  }

  /** Closes the pool. */
  @Override
  public void close() throws Exception {
    if (getTargetDataSource() instanceof AutoCloseable pool) {
      pool.close();
    }
  }

  /** Whether a transaction holds the writer's turn now (for tests). */
  boolean writing() {
    return writer.availablePermits() == 0;
  }

  private Connection queued(Connection connection) {
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            new QueuedConnection(connection));
  }

  private final class QueuedConnection implements InvocationHandler {
    private final Connection target;
    private boolean readOnly;
    private boolean holdsTurn;

    QueuedConnection(Connection target) {
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
        case "setAutoCommit" -> {
          if ((Boolean) args[0]) {
            try {
              return call(method, args);
            } finally {
              releaseTurn();
            }
          }
          if (target.getAutoCommit()) {
            begin();
            return null;
          }
          return call(method, args);
        }
        case "close" -> {
          try {
            return call(method, args);
          } finally {
            releaseTurn();
          }
        }
        default -> {
          return call(method, args);
        }
      }
    }

    private void begin() throws SQLException {
      target
          .unwrap(SQLiteConnection.class)
          .getConnectionConfig()
          .setTransactionMode(readOnly ? TransactionMode.DEFERRED : TransactionMode.IMMEDIATE);
      if (!readOnly) {
        awaitTurn();
      }
      try {
        target.setAutoCommit(false);
      } catch (SQLException | RuntimeException e) {
        releaseTurn();
        throw e;
      }
    }

    private void awaitTurn() throws SQLException {
      try {
        if (!writer.tryAcquire(patience.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new SQLTransientException(
              "the database is busy: no turn to write within " + patience.toSeconds() + " s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLTransientException("interrupted waiting for a turn to write", e);
      }
      holdsTurn = true;
    }

    private void releaseTurn() {
      if (holdsTurn) {
        holdsTurn = false;
        writer.release();
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
