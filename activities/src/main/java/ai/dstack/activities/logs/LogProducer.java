package ai.dstack.activities.logs;

import java.util.Locale;

/**
 * Whose output a log holds, dstack's {@code LogProducer}: the job's (its stdout and stderr), or the
 * runner's own ({@code logs/poll} with {@code diagnose: true}).
 */
public enum LogProducer {
  /** The job's output. */
  JOB,
  /** The runner's log lines. */
  RUNNER;

  /** dstack's value and the log file's base name: {@code job} or {@code runner}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}
