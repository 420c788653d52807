package ai.dstack.orchestrator.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The SQLite data source as the server builds it, on a real database file, with SQLite's busy
 * timeout cut to 200 ms, while one writing transaction holds the write lock: a read-only
 * transaction reads beside it; a second writing one waits, parked, and then fails; a writer that
 * waits less than the timeout goes on once the first is done.
 */
class SqliteTransactionsTest {
  @TempDir Path dir;

  private SqliteTransactions dataSource;
  private JdbcTemplate jdbc;
  private TransactionTemplate writes;
  private TransactionTemplate reads;

  @BeforeEach
  void open() {
    connect(Duration.ofMillis(200));
    jdbc.execute("CREATE TABLE events (name TEXT)");
    jdbc.update("INSERT INTO events (name) VALUES ('committed')");
  }

  @AfterEach
  void close() throws Exception {
    dataSource.close();
  }

  @Test
  void aReadOnlyTransactionReadsBesideTheWriterWhileAnotherWriterWaits() throws Exception {
    var holding = new CountDownLatch(1);
    var othersDone = new CountDownLatch(1);
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<?> writer =
          threads.submit(
              () ->
                  writes.executeWithoutResult(
                      tx -> {
                        jdbc.update("INSERT INTO events (name) VALUES ('uncommitted')");
                        holding.countDown();
                        await(othersDone);
                      }));
      assertTrue(holding.await(10, TimeUnit.SECONDS));
      try {
        List<String> seen =
            reads.execute(tx -> jdbc.queryForList("SELECT name FROM events", String.class));
        assertEquals(List.of("committed"), seen, "the snapshot before the writer's insert");
        // A writing transaction takes the lock at BEGIN, also on the connection the read-only one
        // gave back (the pool hands a thread the one it used last): it waits out the busy timeout.
        assertThrows(
            CannotCreateTransactionException.class, () -> writes.executeWithoutResult(tx -> {}));
      } finally {
        othersDone.countDown();
      }
      writer.get();
    }
    assertEquals(2, jdbc.queryForObject("SELECT COUNT(*) FROM events", Integer.class));
  }

  @Test
  void writersWaitingForTheWriterParkTheirVirtualThreadsAndGoOnWhenItIsDone() throws Exception {
    dataSource.close();
    connect(Duration.ofSeconds(30));
    var holding = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    var first =
        Thread.ofVirtual()
            .start(
                () ->
                    writes.executeWithoutResult(
                        tx -> {
                          jdbc.update("INSERT INTO events (name) VALUES ('first')");
                          holding.countDown();
                          await(release);
                        }));
    assertTrue(holding.await(10, TimeUnit.SECONDS));
    var inTransaction =
        Thread.ofVirtual()
            .start(
                () ->
                    writes.executeWithoutResult(
                        tx -> jdbc.update("INSERT INTO events (name) VALUES ('second')")));
    var alone =
        Thread.ofVirtual().start(() -> jdbc.update("INSERT INTO events (name) VALUES ('third')"));

    try {
      // SQLite's own busy wait sleeps in native code: the thread would read RUNNABLE, pinned.
      awaitParked(inTransaction);
      awaitParked(alone);
    } finally {
      release.countDown();
    }
    for (var thread : List.of(first, inTransaction, alone)) {
      assertTrue(thread.join(Duration.ofSeconds(10)), thread + " did not finish");
    }

    assertEquals(4, jdbc.queryForObject("SELECT COUNT(*) FROM events", Integer.class));
  }

  @Test
  void aConnectionEqualsItselfOnly() throws Exception {
    try (var a = dataSource.getConnection();
        var b = dataSource.getConnection()) {
      assertEquals(a, a);
      assertNotEquals(a, b);
      assertEquals(System.identityHashCode(a), a.hashCode());
    }
  }

  /** The server's SQLite data source on this test's file, with SQLite's busy timeout. */
  private void connect(Duration busyTimeout) {
    dataSource = PersistenceConfig.sqlite("jdbc:sqlite:" + dir.resolve("t.db"), busyTimeout);
    jdbc = new JdbcTemplate(dataSource);
    var transactions = new JdbcTransactionManager(dataSource);
    writes = new TransactionTemplate(transactions);
    reads = new TransactionTemplate(transactions);
    reads.setReadOnly(true);
  }

  private static void awaitParked(Thread thread) throws InterruptedException {
    var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (thread.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(Thread.State.TIMED_WAITING, thread.getState(), thread + " is not parked");
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(10, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
