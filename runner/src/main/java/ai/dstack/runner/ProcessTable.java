package ai.dstack.runner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The processes Linux shows under {@code /proc}: what a stop needs to know of the job's group. */
final class ProcessTable {
  /** SIGTERM (15) in the signal masks of {@code /proc/PID/status}, where signal n is bit n - 1. */
  private static final long SIGTERM_BIT = 1L << 14;

  /**
   * One process from {@code /proc/PID/stat}.
   *
   * @param startTicks when it started, in clock ticks after boot: with the pid, who it is
   * @param zombie whether it exited and waits for its parent to read its status
   */
  record Entry(long pid, long pgrp, long startTicks, String name, boolean zombie) {}

  private final Path proc;

  ProcessTable(Path proc) {
    this.proc = proc;
  }

  /** Every process whose stat could be read; none where there is no such folder. */
  List<Entry> entries() {
    var entries = new ArrayList<Entry>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc)) {
      for (Path dir : dirs) {
        String name = dir.getFileName().toString();
        if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
          continue;
        }
        read(dir.resolve("stat")).flatMap(ProcessTable::parseStat).ifPresent(entries::add);
      }
    } catch (IOException | RuntimeException e) {
      return entries;
    }
    return entries;
  }

  /** Whether {@code pid} ignores SIGTERM now; empty once it is gone. */
  Optional<Boolean> ignoresTerm(long pid) {
    return read(proc.resolve(Long.toString(pid)).resolve("status"))
        .flatMap(ProcessTable::ignoredSignals)
        .map(mask -> (mask & SIGTERM_BIT) != 0);
  }

  /**
   * Parses a {@code stat} line: {@code pid (name) state ppid pgrp ...}, field 22 the start time.
   * The name may hold spaces and parentheses, so the fields are counted from its last ")".
   */
  static Optional<Entry> parseStat(String line) {
    int open = line.indexOf(" (");
    int close = line.lastIndexOf(')');
    if (open < 0 || close < open) {
      return Optional.empty();
    }
    String[] fields = line.substring(close + 1).trim().split(" ");
    // fields[0] is stat's field 3 (the state), so stat's field n is fields[n - 3].
    if (fields.length < 20) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new Entry(
              Long.parseLong(line.substring(0, open)),
              Long.parseLong(fields[2]),
              Long.parseLong(fields[19]),
              line.substring(open + 2, close),
              fields[0].equals("Z")));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The {@code SigIgn} mask of a {@code status} text. */
  static Optional<Long> ignoredSignals(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("SigIgn:")) {
        try {
          return Optional.of(Long.parseUnsignedLong(line.substring(7).trim(), 16));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> read(Path file) {
    try {
      // Latin-1 reads any bytes: a process may name itself in any encoding.
      return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // gone in between, or not readable
    }
  }
}
