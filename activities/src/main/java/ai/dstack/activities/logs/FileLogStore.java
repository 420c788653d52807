package ai.dstack.activities.logs;

import ai.dstack.core.agents.runner.LogEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The log store on the local file system: {@code <root>/<project>/<run name>/<submission
 * id>/{job,runner}.log}, one append-only file per log.
 *
 * <p>Each event is one line holding its timestamp, its message's bytes in base64 and a CRC (see
 * {@code LogRecords}), so messages may be any bytes of any length. An append writes its records in
 * one write and forces them to disk before returning. After a crash the file may end in a torn
 * record: readers skip it, and the next append cuts it off before writing. Appends take a file
 * lock, so several workers (processes) may share the directory.
 *
 * <p>Pages follow dstack's file store, except that {@code next_token} is a byte offset in both
 * directions (dstack counts lines ascending), so a page costs what it returns, not the log's size.
 */
public final class FileLogStore implements LogStore {
  private static final int LOCK_STRIPES = 64;
  private static final int CACHED_TAILS = 4096;

  /**
   * Appends to one file are serialized in this JVM before its file lock is taken (a JVM may hold
   * one lock per file); shared by all stores, so two stores over one directory are safe too.
   */
  private static final Object[] LOCKS = new Object[LOCK_STRIPES];

  static {
    for (int i = 0; i < LOCK_STRIPES; i++) {
      LOCKS[i] = new Object();
    }
  }

  private final Path root;

  /** Where each recently appended log ends, so an append need not read the file first. */
  private final Map<Path, Tail> tails =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Tail> eldest) {
          return size() > CACHED_TAILS;
        }
      };

  /**
   * @param root the directory of all logs, e.g. {@code <server dir>/logs}; created on first append
   */
  public FileLogStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The file that holds the log. */
  public Path file(JobLog log) {
    return root.resolve(segment("project", log.project()))
        .resolve(segment("run name", log.runName()))
        .resolve(log.submissionId().toString())
        .resolve(log.producer().value() + ".log");
  }

  @Override
  public long append(JobLog log, List<LogEvent> events) {
    if (events.isEmpty()) {
      return count(log);
    }
    Path path = file(log);
    synchronized (lock(path)) {
      try {
        Files.createDirectories(path.getParent());
        try (FileChannel channel =
                FileChannel.open(
                    path,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock ignored = channel.lock()) {
          long size = channel.size();
          Tail tail = cachedTail(path);
          if (tail == null || tail.size() != size) {
            tail = scan(channel);
            if (size > tail.size()) {
              // A record torn by a crash (or garbage after it): cut off before appending.
              channel.truncate(tail.size());
            }
          }
          var records = new ByteArrayOutputStream();
          long last = tail.lastTimestamp();
          int added = 0;
          for (LogEvent event : events) {
            if (event.timestamp() > tail.lastTimestamp()) {
              records.writeBytes(LogRecords.encode(event));
              last = Math.max(last, event.timestamp());
              added++;
            }
          }
          if (added == 0) {
            remember(path, tail);
            return tail.count();
          }
          ByteBuffer buffer = ByteBuffer.wrap(records.toByteArray());
          long position = tail.size();
          while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
          }
          channel.force(false);
          if (tail.size() == 0) {
            syncDirectory(path.getParent());
          }
          Tail appended = new Tail(position, tail.count() + added, last);
          remember(path, appended);
          return appended.count();
        }
      } catch (IOException e) {
        forget(path);
        throw new UncheckedIOException(
            "cannot append to log " + log.describe() + ": " + describe(e), e);
      }
    }
  }

  @Override
  public long count(JobLog log) {
    Path path = file(log);
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      Tail tail = cachedTail(path);
      if (tail != null && tail.size() == channel.size()) {
        return tail.count();
      }
      return scan(channel).count();
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read log " + log.describe() + ": " + describe(e), e);
    }
  }

  @Override
  public LogPage poll(JobLog log, LogQuery query) {
    Long token = parseToken(query.nextToken());
    try (FileChannel channel = FileChannel.open(file(log), StandardOpenOption.READ)) {
      return query.descending()
          ? pollDescending(channel, query, token)
          : pollAscending(channel, query, token);
    } catch (NoSuchFileException e) {
      return LogPage.EMPTY;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read log " + log.describe() + ": " + describe(e), e);
    }
  }

  private static LogPage pollAscending(FileChannel channel, LogQuery query, Long token)
      throws IOException {
    var lines = new LogLines.Forward(channel, token == null ? 0 : token);
    var events = new ArrayList<LogEvent>();
    for (LogLines.Line line = lines.next(); line != null; line = lines.next()) {
      LogEvent event = LogRecords.decode(line.content());
      if (event == null) {
        continue;
      }
      Instant at = Instant.ofEpochMilli(event.timestamp());
      if (query.startTime() != null && !at.isAfter(query.startTime())) {
        continue;
      }
      if (query.endTime() != null && !at.isBefore(query.endTime())) {
        break;
      }
      events.add(event);
      if (events.size() >= query.limit()) {
        String next = lines.next() != null ? Long.toString(line.end()) : null;
        return new LogPage(events, next);
      }
    }
    return new LogPage(events, null);
  }

  private static LogPage pollDescending(FileChannel channel, LogQuery query, Long token)
      throws IOException {
    long size = channel.size();
    long end = LogLines.wholeLinesEnd(channel, token == null ? size : Math.min(token, size));
    var lines = new LogLines.Backward(channel, end);
    var events = new ArrayList<LogEvent>();
    long lastStart = -1;
    for (LogLines.Line line = lines.next(); line != null; line = lines.next()) {
      LogEvent event = LogRecords.decode(line.content());
      if (event == null) {
        continue;
      }
      Instant at = Instant.ofEpochMilli(event.timestamp());
      if (query.endTime() != null && at.isAfter(query.endTime())) {
        continue;
      }
      if (query.startTime() != null && !at.isAfter(query.startTime())) {
        break;
      }
      if (events.size() == query.limit()) {
        // One more than the page holds: the next page starts before the page's last event.
        return new LogPage(events, Long.toString(lastStart));
      }
      events.add(event);
      lastStart = line.start();
    }
    return new LogPage(events, null);
  }

  /** Where the valid records end, how many there are, and the last one's timestamp. */
  private static Tail scan(FileChannel channel) throws IOException {
    var lines = new LogLines.Forward(channel, 0);
    long end = 0;
    long count = 0;
    long last = Long.MIN_VALUE;
    for (LogLines.Line line = lines.next(); line != null; line = lines.next()) {
      LogEvent event = LogRecords.decode(line.content());
      if (event != null) {
        end = line.end();
        count++;
        last = Math.max(last, event.timestamp());
      }
    }
    return new Tail(end, count, last);
  }

  private static Long parseToken(String token) {
    if (token == null) {
      return null;
    }
    try {
      long offset = Long.parseLong(token);
      if (offset >= 0) {
        return offset;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "Invalid next_token: " + token + ". Must be a non-negative integer.");
  }

  /** A name as one directory level: never empty, {@code .}, {@code ..} or holding a separator. */
  private static String segment(String what, String name) {
    if (name.isEmpty()
        || name.equals(".")
        || name.equals("..")
        || name.indexOf('/') >= 0
        || name.indexOf('\\') >= 0
        || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(what + " " + name + " cannot name a log directory");
    }
    return name;
  }

  private static Object lock(Path path) {
    return LOCKS[Math.floorMod(path.hashCode(), LOCK_STRIPES)];
  }

  private Tail cachedTail(Path path) {
    synchronized (tails) {
      return tails.get(path);
    }
  }

  private void remember(Path path, Tail tail) {
    synchronized (tails) {
      tails.put(path, tail);
    }
  }

  private void forget(Path path) {
    synchronized (tails) {
      tails.remove(path);
    }
  }

  /** Makes a new file's directory entry durable; best effort (not every file system can). */
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // the records themselves are forced; only a power loss could lose the new file's name
    }
  }

  private static String describe(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /**
   * Where a log's valid records end.
   *
   * @param size the offset after the last valid record
   * @param count how many valid records there are
   * @param lastTimestamp the newest record's timestamp, {@link Long#MIN_VALUE} when none
   */
  private record Tail(long size, long count, long lastTimestamp) {}
}
