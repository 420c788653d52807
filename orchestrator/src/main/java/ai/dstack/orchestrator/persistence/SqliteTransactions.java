package ai.dstack.orchestrator.persistence;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.sqlite.SQLiteConfig.TransactionMode;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The server's SQLite connections: read-only transactions begin DEFERRED, and writers wait for one
 * another here, in Java, before they reach SQLite's write lock.
 *
 * <p>With {@code transaction_mode=IMMEDIATE} every transaction takes the database's one write lock
 * at BEGIN, read-only ones too (Spring Data's finders run in one: every project, user and run
 * lookup). In a burst of requests they all queued for that lock on SQLite's busy handler, which
 * favours no one, and a lookup could lose every try until its {@code busy_timeout} (CI: twenty runs
 * applied at once, one {@code runs/apply} failed with SQLITE_BUSY). A read-only transaction here
 * begins DEFERRED: in WAL mode it reads a snapshot beside the writer and takes no lock; writing
 * transactions still begin IMMEDIATE. sqlite-jdbc cannot switch an open connection to read-only, so
 * {@code setReadOnly} only chooses the next transaction's mode.
 *
 * <p>SQLite's busy handler waits for the write lock by sleeping in native code, which pins a
 * virtual thread to its carrier: with the host's two carriers pinned by waiting writers, the
 * virtual thread holding the lock could not run to release it (CI: the batch example's requests
 * waited 30 s for a connection and answered 500). So a writing transaction, or a write statement
 * outside one, first takes this data source's one write permit, in arrival order, parking (not
 * pinning) while another writer holds it, for at most the busy timeout; the permit is given back
 * when the transaction ends.
 */
final class SqliteTransactions extends DelegatingDataSource implements AutoCloseable {

  private static final Set<String> WRITING_EXECUTES =
      Set.of("execute", "executeUpdate", "executeLargeUpdate", "executeBatch", "executeLargeBatch");

  private final Semaphore writer = new Semaphore(1, true);
  private final Duration busyTimeout;

  SqliteTransactions(DataSource target, Duration busyTimeout) {
    super(target);
    this.busyTimeout = busyTimeout;
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

  private Connection choosingMode(Connection connection) {
    return proxy(Connection.class, new ModeChoosingConnection(connection));
  }

  private void awaitWriter() throws SQLException {
    try {
      if (!writer.tryAcquire(busyTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new SQLiteException(
            "[SQLITE_BUSY] the database is locked: another write held it for "
                + busyTimeout.toMillis()
                + " ms",
            SQLiteErrorCode.SQLITE_BUSY);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting to write", e);
    }
  }

  private static <T> T proxy(Class<T> type, InvocationHandler handler) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private final class ModeChoosingConnection implements InvocationHandler {
    private final Connection target;
    private boolean readOnly;
    private boolean writing;

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
          return setAutoCommit(method, args);
        }
        case "close" -> {
          try {
            return call(target, method, args);
          } finally {
            doneWriting();
          }
        }
        case "createStatement", "prepareStatement", "prepareCall" -> {
          var statement = call(target, method, args);
          return proxy(
              method.getReturnType().asSubclass(Statement.class),
              new WriteWaitingStatement(this, statement));
        }
        default -> {
          return call(target, method, args);
        }
      }
    }

    // sqlite-jdbc begins a transaction in setAutoCommit(false) and, after a commit or rollback,
    // begins the next one at once; the transaction is over only when autocommit is back on.
    private Object setAutoCommit(Method method, Object[] args) throws Throwable {
      boolean autoCommit = (Boolean) args[0];
      if (autoCommit || !target.getAutoCommit()) {
        try {
          return call(target, method, args);
        } finally {
          if (autoCommit) {
            doneWriting();
          }
        }
      }
      target
          .unwrap(SQLiteConnection.class)
          .getConnectionConfig()
          .setTransactionMode(readOnly ? TransactionMode.DEFERRED : TransactionMode.IMMEDIATE);
      if (readOnly) {
        return call(target, method, args);
      }
      awaitWriter();
      writing = true;
      try {
        return call(target, method, args);
      } catch (Throwable e) {
        doneWriting();
        throw e;
      }
    }

    /** Whether a statement run now writes outside a transaction: it must wait for the permit. */
    boolean writesAlone() throws SQLException {
      return !readOnly && !writing && target.getAutoCommit();
    }

    private void doneWriting() {
      if (writing) {
        writing = false;
        writer.release();
      }
    }
  }

  private final class WriteWaitingStatement implements InvocationHandler {
    private final ModeChoosingConnection connection;
    private final Object target;

    WriteWaitingStatement(ModeChoosingConnection connection, Object target) {
      this.connection = connection;
      this.target = target;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (!WRITING_EXECUTES.contains(method.getName()) || !connection.writesAlone()) {
        return call(target, method, args);
      }
      awaitWriter();
      try {
        return call(target, method, args);
      } finally {
        writer.release();
      }
    }
  }
}
