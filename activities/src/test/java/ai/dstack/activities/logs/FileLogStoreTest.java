package ai.dstack.activities.logs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.agents.runner.LogEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileLogStoreTest {
  static final long T0 = 1_700_000_000_000L;

  @TempDir Path temp;
  FileLogStore store;
  JobLog log = new JobLog("main", "my-run", UUID.randomUUID(), LogProducer.JOB);

  @BeforeEach
  void newStore() {
    store = new FileLogStore(temp.resolve("logs"));
  }

  /** Events at T0, T0+1, ...: "event 0\n", "event 1\n", ... */
  static List<LogEvent> events(int from, int to) {
    return IntStream.range(from, to)
        .mapToObj(i -> new LogEvent(T0 + i, ("event " + i + "\n").getBytes(StandardCharsets.UTF_8)))
        .toList();
  }

  static Instant at(int i) {
    return Instant.ofEpochMilli(T0 + i);
  }

  static List<Integer> numbers(List<LogEvent> events) {
    return events.stream().map(e -> (int) (e.timestamp() - T0)).toList();
  }

  @Test
  void aLogNeverWrittenIsEmpty() {
    assertEquals(0, store.count(log));
    assertEquals(LogPage.EMPTY, store.poll(log, LogQuery.first(10)));
    assertEquals(LogPage.EMPTY, store.poll(log, new LogQuery(null, null, true, null, 10)));
  }

  @Test
  void storesTheLogWhereDstackWouldUnderTheRoot() {
    store.append(log, events(0, 1));
    assertEquals(
        temp.resolve("logs/main/my-run/" + log.submissionId() + "/job.log"), store.file(log));
    assertTrue(Files.isRegularFile(store.file(log)));
  }

  @Test
  void keepsEveryMessageByteForByte() {
    byte[] everyByte = new byte[256];
    for (int i = 0; i < 256; i++) {
      everyByte[i] = (byte) i;
    }
    byte[] longLine = ("x".repeat(300_000) + "\n").getBytes(StandardCharsets.US_ASCII);
    var stored =
        List.of(
            new LogEvent(T0, "grüße 日本 🚀\r\n".getBytes(StandardCharsets.UTF_8)),
            new LogEvent(T0 + 1, everyByte),
            new LogEvent(T0 + 2, new byte[0]),
            new LogEvent(T0 + 3, longLine));
    assertEquals(4, store.append(log, stored));

    assertEquals(stored, store.poll(log, LogQuery.first(10)).events());
    var newestFirst = new ArrayList<>(stored);
    Collections.reverse(newestFirst);
    assertEquals(newestFirst, store.poll(log, new LogQuery(null, null, true, null, 10)).events());
  }

  @Test
  void anAppendRetriedOrOverlappingStoresEachEventOnce() {
    assertEquals(5, store.append(log, events(0, 5)));
    assertEquals(5, store.append(log, events(0, 5)), "the same batch again");
    assertEquals(8, store.append(log, events(3, 8)), "a batch that overlaps");
    assertEquals(8, new FileLogStore(temp.resolve("logs")).append(log, events(0, 8)));

    assertEquals(IntStream.range(0, 8).boxed().toList(), numbers(readAll(LogQuery.first(3))));
    assertEquals(8, store.count(log));
  }

  @Test
  void pagesAscendingWithLimitAndNextToken() {
    store.append(log, events(0, 10));
    var pages = new ArrayList<List<Integer>>();
    var query = LogQuery.first(3);
    while (true) {
      var page = store.poll(log, query);
      pages.add(numbers(page.events()));
      if (page.nextToken() == null) {
        break;
      }
      query = query.next(page);
    }
    assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6, 7, 8), List.of(9)), pages);
    var exact = store.poll(log, LogQuery.first(10));
    assertEquals(10, exact.events().size());
    assertNull(exact.nextToken(), "no token when nothing follows the page");
  }

  @Test
  void pagesDescendingNewestFirst() {
    store.append(log, events(0, 10));
    var pages = new ArrayList<List<Integer>>();
    var query = new LogQuery(null, null, true, null, 4);
    while (true) {
      var page = store.poll(log, query);
      pages.add(numbers(page.events()));
      if (page.nextToken() == null) {
        break;
      }
      query = query.next(page);
    }
    assertEquals(List.of(List.of(9, 8, 7, 6), List.of(5, 4, 3, 2), List.of(1, 0)), pages);
  }

  @Test
  void descendingPagesCrossLongLinesAndManyReadChunks() {
    var stored = new ArrayList<LogEvent>();
    for (int i = 0; i < 3000; i++) {
      int size = i % 500 == 0 ? 200_000 : 1 + i % 97;
      stored.add(new LogEvent(T0 + i, ("y".repeat(size) + i).getBytes(StandardCharsets.UTF_8)));
    }
    store.append(log, stored);

    var descending = readAll(new LogQuery(null, null, true, null, 7));
    Collections.reverse(descending);
    assertEquals(stored, descending);
    assertEquals(stored, readAll(LogQuery.first(7)));
  }

  @Test
  void timeBoundsAreDstacksAscending() {
    store.append(log, events(0, 10));
    // start_time is exclusive; end_time ends the page at the first event at or after it
    assertEquals(List.of(4, 5, 6), numbers(readAll(new LogQuery(at(3), at(7), false, null, 2))));
    assertEquals(List.of(0, 1), numbers(readAll(new LogQuery(null, at(2), false, null, 5))));
  }

  @Test
  void timeBoundsAreDstacksDescending() {
    store.append(log, events(0, 10));
    // end_time is inclusive descending, start_time still exclusive
    assertEquals(List.of(7, 6, 5, 4), numbers(readAll(new LogQuery(at(3), at(7), true, null, 3))));
    assertEquals(List.of(9, 8), numbers(readAll(new LogQuery(at(7), null, true, null, 5))));
  }

  @Test
  void boundsBetweenMillisecondsCompareAtFullPrecision() {
    store.append(log, events(0, 4));
    var afterOne = at(1).plusNanos(500_000);
    assertEquals(List.of(2, 3), numbers(readAll(new LogQuery(afterOne, null, false, null, 10))));
    assertEquals(List.of(0, 1), numbers(readAll(new LogQuery(null, afterOne, false, null, 10))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "-1", "1.5", ""})
  void aTokenItNeverGaveIsRefusedAsDstackDoes(String token) {
    store.append(log, events(0, 3));
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () -> store.poll(log, new LogQuery(null, null, false, token, 10)));
    assertEquals(
        "Invalid next_token: " + token + ". Must be a non-negative integer.", error.getMessage());
  }

  @Test
  void aTokenPastTheEndGivesAnEmptyPage() {
    store.append(log, events(0, 3));
    assertEquals(LogPage.EMPTY, store.poll(log, new LogQuery(null, null, false, "999999", 10)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"1700000000999 ZXZlbnQ", "1700000000999 ZXZlbnQgOQo= 00000000\n", "\0\0\0"})
  void aTornLastRecordIsIgnoredThenCutOffByTheNextAppend(String torn) throws IOException {
    store.append(log, events(0, 3));
    Files.write(
        store.file(log), torn.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);

    var fresh = new FileLogStore(temp.resolve("logs"));
    assertEquals(3, fresh.count(log));
    assertEquals(List.of(0, 1, 2), numbers(fresh.poll(log, LogQuery.first(10)).events()));
    assertEquals(
        List.of(2, 1, 0),
        numbers(fresh.poll(log, new LogQuery(null, null, true, null, 10)).events()));

    assertEquals(5, fresh.append(log, events(3, 5)));
    assertEquals(List.of(0, 1, 2, 3, 4), numbers(readAll(LogQuery.first(2))));
    String file = Files.readString(store.file(log), StandardCharsets.US_ASCII);
    assertEquals(5, file.lines().count(), "the torn record is gone: " + file);
  }

  @Test
  void aCorruptRecordInTheMiddleIsSkipped() throws IOException {
    store.append(log, events(0, 3));
    byte[] file = Files.readAllBytes(store.file(log));
    int secondLine = indexOf(file, (byte) '\n') + 1;
    file[secondLine + 16] ^= 1; // a bit flip in event 1's message
    Files.write(store.file(log), file);

    var fresh = new FileLogStore(temp.resolve("logs"));
    assertEquals(List.of(0, 2), numbers(fresh.poll(log, LogQuery.first(10)).events()));
    assertEquals(3, fresh.append(log, events(3, 4)));
  }

  @Test
  void concurrentAppendsOfTheSameEventsStoreThemOnce() throws Exception {
    var batch = events(0, 200);
    try (var pool = Executors.newFixedThreadPool(8)) {
      var stores = List.of(store, new FileLogStore(temp.resolve("logs")));
      var futures =
          IntStream.range(0, 16)
              .mapToObj(
                  i ->
                      pool.submit(
                          () -> stores.get(i % 2).append(log, batch.subList(0, 100 + i * 5))))
              .toList();
      for (var future : futures) {
        assertNotNull(future.get());
      }
    }
    assertEquals(IntStream.range(0, 175).boxed().toList(), numbers(readAll(LogQuery.first(50))));
  }

  @Test
  void logsOfOtherProducersAndSubmissionsAreSeparate() {
    store.append(log, events(0, 2));
    var runnerLog =
        new JobLog(log.project(), log.runName(), log.submissionId(), LogProducer.RUNNER);
    store.append(runnerLog, events(5, 6));
    assertEquals(2, store.count(log));
    assertEquals(List.of(5), numbers(store.poll(runnerLog, LogQuery.first(10)).events()));
  }

  @Test
  void namesThatWouldLeaveTheRootAreRefused() {
    var escaping = new JobLog("main", "..", UUID.randomUUID(), LogProducer.JOB);
    assertThrows(IllegalArgumentException.class, () -> store.append(escaping, events(0, 1)));
    var slashed = new JobLog("a/b", "run", UUID.randomUUID(), LogProducer.JOB);
    assertThrows(IllegalArgumentException.class, () -> store.count(slashed));
  }

  @Test
  void anEncodedRecordRoundTrips() {
    var event = new LogEvent(T0, "x y\n".getBytes(StandardCharsets.UTF_8));
    byte[] line = LogRecords.encode(event);
    assertEquals('\n', line[line.length - 1]);
    assertArrayEquals(
        event.message(),
        LogRecords.decode(java.util.Arrays.copyOf(line, line.length - 1)).message());
  }

  private List<LogEvent> readAll(LogQuery first) {
    var events = new ArrayList<LogEvent>();
    var query = first;
    while (true) {
      var page = store.poll(log, query);
      events.addAll(page.events());
      if (page.nextToken() == null) {
        return events;
      }
      query = query.next(page);
    }
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
