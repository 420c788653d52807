package ai.dstack.runner;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The runner's own log: each line goes to the pulled {@code runner_logs}, to {@code runner.log} in
 * the home dir and to stderr.
 */
final class RunnerLog {
  private final EventLog events;
  private final OutputStream file;
  private final PrintStream stderr;
  private final ReentrantLock lock = new ReentrantLock();

  RunnerLog(EventLog events, Path file, PrintStream stderr) throws IOException {
    this.events = events;
    this.file = new FileOutputStream(file.toFile(), true);
    this.stderr = stderr;
  }

  void info(String format, Object... args) {
    write("INFO", format, args);
  }

  void warn(String format, Object... args) {
    write("WARN", format, args);
  }

  void error(String format, Object... args) {
    write("ERROR", format, args);
  }

  private void write(String level, String format, Object... args) {
    String message = args.length == 0 ? format : String.format(format, args);
    byte[] line =
        (Instant.now() + " " + level + " " + message + "\n").getBytes(StandardCharsets.UTF_8);
    events.appendRunnerLog(line);
    lock.lock();
    try {
      file.write(line);
      file.flush();
      stderr.write(line);
      stderr.flush();
    } catch (IOException e) {
      // A full disk must not stop the job; the line is still in the pulled runner logs.
    } finally {
      lock.unlock();
    }
  }
}
