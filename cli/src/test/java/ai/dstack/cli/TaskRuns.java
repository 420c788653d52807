package ai.dstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.dstack.core.runs.RunStatus;
import ai.dstack.sdk.Dstack;
import ai.dstack.sdk.Run;
import ai.dstack.sdk.testing.LocalServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Runs for the black-box tests, submitted through the SDK: small tasks (one block of the local
 * fleet each, so they run side by side), with fresh names.
 */
final class TaskRuns {
  private TaskRuns() {}

  /** How long a tiny task may take from submission to its end. */
  static final Duration TIMEOUT = Duration.ofMinutes(2);

  /** A client of the server's project, as its admin. */
  static Dstack sdk(LocalServer server) {
    return Dstack.of(server.url(), server.token(), server.project());
  }

  /** A fresh run name. */
  static String name(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** {@code type: task} named {@code name} running {@code commands}, on one block. */
  static String task(String name, String... commands) {
    var yaml = new StringBuilder("type: task\nname: ").append(name).append("\ncommands:\n");
    for (String command : commands) {
      yaml.append("  - '").append(command.replace("'", "''")).append("'\n");
    }
    return yaml.append("resources:\n  cpu: 1\n  memory: 1GB..\n  disk: 1GB..\n").toString();
  }

  /** Submits a task and waits until it has ended. */
  static Run finished(Dstack dstack, String name, String... commands) throws Exception {
    var run = dstack.applyYaml(task(name, commands));
    assertEquals(RunStatus.DONE, run.await(TIMEOUT), () -> "the task ends done: " + run.model());
    return run;
  }

  /** A task that prints {@code started} then sleeps; returned once it has printed. */
  static Run sleeper(Dstack dstack, String name) {
    var run = dstack.applyYaml(task(name, "echo started", "sleep 600"));
    try (var lines = run.logs()) {
      var iterator = lines.iterator();
      while (!iterator.next().equals("started")) {
        // the shell's notices come first
      }
    }
    assertEquals(RunStatus.RUNNING, run.refresh().status());
    return run;
  }

  /** Aborts a run, if it is still active, and waits for its end: the fleet stays free. */
  static void abort(Run run) throws Exception {
    if (!run.refresh().status().isFinished()) {
      run.stop(true);
      run.await(TIMEOUT);
    }
  }

  /**
   * The lines of {@code output} (the last without its newline), without the notices of dstack's
   * {@code bash -i} without a tty.
   */
  static List<String> printed(String output) {
    var lines = new ArrayList<>(Arrays.asList(output.split("\n", -1)));
    if (lines.getLast().isEmpty()) {
      lines.removeLast();
    }
    lines.removeIf(l -> l.startsWith("bash: "));
    return lines;
  }

  /** The words of a line, split at runs of spaces. */
  static List<String> words(String line) {
    return Arrays.asList(line.strip().split("\\s+"));
  }

  /** The column names of a table's header line (columns are two or more spaces apart). */
  static List<String> headers(String table) {
    return Arrays.asList(table.lines().findFirst().orElse("").strip().split(" {2,}"));
  }

  /**
   * The row of a printed table whose first cell is {@code name}, cell by column name; fails when
   * there is none.
   */
  static Map<String, String> row(String table, String name) {
    var lines = table.lines().toList();
    var header = lines.getFirst();
    var starts = new ArrayList<Integer>();
    var matcher = Pattern.compile("\\S+( \\S+)*").matcher(header);
    while (matcher.find()) {
      starts.add(matcher.start());
    }
    for (var line : lines.subList(1, lines.size())) {
      if (!line.startsWith(name + " ")) {
        continue;
      }
      var cells = new LinkedHashMap<String, String>();
      for (int i = 0; i < starts.size(); i++) {
        int from = Math.min(starts.get(i), line.length());
        int to = i + 1 < starts.size() ? Math.min(starts.get(i + 1), line.length()) : line.length();
        cells.put(
            header.substring(starts.get(i)).split(" {2,}")[0].strip(),
            line.substring(from, to).strip());
      }
      return cells;
    }
    throw new AssertionError("no row of " + name + " in\n" + table);
  }
}
