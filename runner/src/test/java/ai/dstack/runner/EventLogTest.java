package ai.dstack.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.agents.runner.JobState;
import ai.dstack.core.agents.runner.LogEvent;
import ai.dstack.core.agents.runner.PullResponse;
import ai.dstack.core.agents.runner.TerminationReason;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLogTest {
  @TempDir Path dir;

  @Test
  void timestampsAreStrictlyIncreasingAcrossAllKindsOfEvents() throws Exception {
    try (var log = new EventLog(dir.resolve("job.log"), 1 << 20)) {
      for (int i = 0; i < 5_000; i++) {
        log.appendJobOutput(bytes("x"), 0, 1);
        log.appendRunnerLog(bytes("r"));
      }
      log.appendState(JobState.DONE, TerminationReason.DONE_BY_RUNNER, null, 0);

      PullResponse pull = log.pull(0);

      var timestamps = new ArrayList<Long>();
      pull.jobLogs().forEach(e -> timestamps.add(e.timestamp()));
      pull.runnerLogs().forEach(e -> timestamps.add(e.timestamp()));
      pull.jobStates().forEach(e -> timestamps.add(e.timestamp()));
      assertEquals(10_001, timestamps.stream().distinct().count());
      assertEquals(pull.jobStates().getFirst().timestamp(), pull.lastUpdated());
    }
  }

  @Test
  void pagesLargeOutputAndContinuesFromLastUpdated() throws Exception {
    try (var log = new EventLog(dir.resolve("job.log"), 1000)) {
      byte[] chunk = new byte[300];
      for (int i = 0; i < 10; i++) {
        chunk[0] = (byte) i;
        log.appendJobOutput(chunk, 0, chunk.length);
      }
      log.finish();

      var pages = new ArrayList<PullResponse>();
      long cursor = 0;
      do {
        pages.add(log.pull(cursor));
        cursor = pages.getLast().lastUpdated();
      } while (pages.getLast().hasMore());

      assertEquals(List.of(3, 3, 3, 1), pages.stream().map(p -> p.jobLogs().size()).toList());
      var received = pages.stream().flatMap(p -> p.jobLogs().stream()).map(e -> e.message()[0]);
      assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), received.map(b -> (int) b).toList());
      assertTrue(pages.subList(0, 3).stream().allMatch(PullResponse::hasMore));
    }
  }

  @Test
  void hasMoreStaysTrueUntilTheLogIsFinishedAndHandedOver() throws Exception {
    try (var log = new EventLog(dir.resolve("job.log"), 1 << 20)) {
      log.appendJobOutput(bytes("a"), 0, 1);
      assertTrue(log.pull(0).hasMore());

      log.appendState(JobState.DONE, TerminationReason.DONE_BY_RUNNER, null, 0);
      log.finish();
      PullResponse last = log.pull(0);

      assertFalse(last.hasMore());
      assertEquals(1, last.jobStates().size());
      assertEquals(last.lastUpdated(), log.pull(last.lastUpdated()).lastUpdated());
    }
  }

  @Test
  void aPullAcknowledgesAndFreesWhatCameBefore() throws Exception {
    try (var log = new EventLog(dir.resolve("job.log"), 1 << 20)) {
      log.appendJobOutput(bytes("one\n"), 0, 4);
      log.appendRunnerLog(bytes("runner\n"));
      PullResponse first = log.pull(0);
      assertEquals(2, log.pendingEvents());

      log.appendJobOutput(bytes("two\n"), 0, 4);
      PullResponse again = log.pull(0);
      PullResponse next = log.pull(first.lastUpdated());

      assertEquals(3, again.jobLogs().size() + again.runnerLogs().size(), "nothing acked yet");
      assertEquals(List.of("two\n"), text(next.jobLogs()));
      assertEquals(1, log.pendingEvents(), "events up to the pulled timestamp are freed");
    }
  }

  @Test
  void noEventIsLostWhileWritesAndPullsRace() throws Exception {
    try (var log = new EventLog(dir.resolve("job.log"), 4096)) {
      var done = new AtomicBoolean();
      Thread writer =
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < 20_000; i++) {
                      byte[] line = bytes(i + "\n");
                      log.appendJobOutput(line, 0, line.length);
                    }
                    log.finish();
                    done.set(true);
                  });
      var received = new ByteArrayOutputStream();
      long cursor = 0;
      PullResponse pull;
      do {
        pull = log.pull(cursor);
        pull.jobLogs().forEach(e -> received.writeBytes(e.message()));
        cursor = pull.lastUpdated();
      } while (pull.hasMore());
      writer.join();

      String[] lines = received.toString(StandardCharsets.UTF_8).split("\n");
      assertEquals(20_000, lines.length);
      for (int i = 0; i < lines.length; i++) {
        assertEquals(String.valueOf(i), lines[i]);
      }
    }
  }

  @Test
  void outputIsReadBackFromJobLogByteForByte() throws Exception {
    try (var log = new EventLog(dir.resolve("job.log"), 1 << 20)) {
      byte[] binary = new byte[256];
      for (int i = 0; i < binary.length; i++) {
        binary[i] = (byte) i;
      }
      log.appendJobOutput(binary, 10, 100);

      assertArrayEquals(
          Arrays.copyOfRange(binary, 10, 110), log.pull(0).jobLogs().getFirst().message());
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> text(List<LogEvent> events) {
    return events.stream().map(e -> new String(e.message(), StandardCharsets.UTF_8)).toList();
  }
}
