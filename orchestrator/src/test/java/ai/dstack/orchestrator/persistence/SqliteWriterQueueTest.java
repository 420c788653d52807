package ai.dstack.orchestrator.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * The SQLite data source as the server builds it, on a real database file, with SQLite's own busy
 * timeout cut to 200 ms: a transaction that waited on SQLite's busy handler would fail after that;
 * one that waits its turn in the queue does not.
 */
class SqliteWriterQueueTest {
  private static final Duration SQLITE_BUSY = Duration.ofMillis(200);

  @TempDir Path dir;

  private SqliteWriterQueue dataSource;
  private JdbcTemplate jdbc;
  private TransactionTemplate writes;
  private TransactionTemplate reads;

  @BeforeEach
  void open() {
    dataSource =
        PersistenceConfig.sqlite(
            "jdbc:sqlite:" + dir.resolve("t.db"), SQLITE_BUSY, Duration.ofSeconds(10));
    jdbc = new JdbcTemplate(dataSource);
    var transactions = new JdbcTransactionManager(dataSource);
    writes = new TransactionTemplate(transactions);
    reads = new TransactionTemplate(transactions);
    reads.setReadOnly(true);
    jdbc.execute("CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT)");
  }

  @AfterEach
  void close() throws Exception {
    dataSource.close();
  }

  @Test
  void aWriterWaitsItsTurnLongerThanSqlitesBusyTimeoutAndWritersGoInTheOrderTheyAsked()
      throws Exception {
    var holding = new CountDownLatch(1);
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<?> first =
          threads.submit(
              () ->
                  writes.executeWithoutResult(
                      tx -> {
                        jdbc.update("INSERT INTO events (name) VALUES ('first')");
                        holding.countDown();
                        sleep(Duration.ofSeconds(1)); // five times SQLite's busy timeout
                      }));
      assertTrue(holding.await(10, TimeUnit.SECONDS));
      List<Future<?>> next = new ArrayList<>();
      for (var name : List.of("second", "third", "fourth")) {
        next.add(
            threads.submit(
                () ->
                    writes.executeWithoutResult(
                        tx -> jdbc.update("INSERT INTO events (name) VALUES (?)", name))));
        sleep(Duration.ofMillis(100)); // each asks after the one before
      }
      first.get();
      for (var future : next) {
        future.get();
      }
    }
    assertEquals(
        List.of("first", "second", "third", "fourth"),
        jdbc.queryForList("SELECT name FROM events ORDER BY seq", String.class));
    assertFalse(dataSource.writing());
  }

  @Test
  void aReadOnlyTransactionReadsBesideTheWriterWithoutWaiting() throws Exception {
    jdbc.update("INSERT INTO events (name) VALUES ('committed')");
    var holding = new CountDownLatch(1);
    var readDone = new CountDownLatch(1);
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<?> writer =
          threads.submit(
              () ->
                  writes.executeWithoutResult(
                      tx -> {
                        jdbc.update("INSERT INTO events (name) VALUES ('uncommitted')");
                        holding.countDown();
                        await(readDone);
                      }));
      assertTrue(holding.await(10, TimeUnit.SECONDS));
      List<String> seen =
          reads.execute(tx -> jdbc.queryForList("SELECT name FROM events", String.class));
      assertTrue(dataSource.writing(), "the writer still holds its turn");
      readDone.countDown();
      writer.get();
      assertEquals(List.of("committed"), seen);
    }
    assertEquals(2, jdbc.queryForObject("SELECT COUNT(*) FROM events", Integer.class));
  }

  @Test
  void aConnectionClosedInATransactionGivesItsTurnBack() throws Exception {
    try (var connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      assertTrue(dataSource.writing());
    }
    assertFalse(dataSource.writing());
    writes.executeWithoutResult(tx -> jdbc.update("INSERT INTO events (name) VALUES ('next')"));
    assertEquals(1, jdbc.queryForObject("SELECT COUNT(*) FROM events", Integer.class));
  }

  @Test
  void aWriterThatGetsNoTurnInTimeFailsClearlyAndLeavesTheQueueUsable() throws Exception {
    var impatient =
        new SqliteWriterQueue(
            PersistenceConfig.sqlite("jdbc:sqlite:" + dir.resolve("t.db"), SQLITE_BUSY, SQLITE_BUSY)
                .getTargetDataSource(),
            Duration.ofMillis(300));
    var impatientWrites = new TransactionTemplate(new JdbcTransactionManager(impatient));
    try (var holder = impatient.getConnection()) {
      holder.setAutoCommit(false);
      var e =
          assertThrows(
              CannotCreateTransactionException.class,
              () -> impatientWrites.executeWithoutResult(tx -> {}));
      assertTrue(e.getMostSpecificCause().getMessage().contains("no turn to write"), e.toString());
      holder.rollback();
      holder.setAutoCommit(true);
    }
    impatientWrites.executeWithoutResult(
        tx -> new JdbcTemplate(impatient).update("INSERT INTO events (name) VALUES ('later')"));
    assertEquals(1, jdbc.queryForObject("SELECT COUNT(*) FROM events", Integer.class));
    impatient.close();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
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
