package ai.dstack.cli;

import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code -w}: a listing printed again every two seconds, as dstack's live tables refresh, until the
 * user presses Ctrl-C, which ends the command with {@link ExitCodes#OK}.
 */
final class WatchLoop {
  private WatchLoop() {}

  static final long INTERVAL_MILLIS = 2000;

  /** Prints {@code table} now and every two seconds; returns only when listing fails (throws). */
  static int run(CommandSpec spec, Supplier<Table> table) {
    var out = spec.commandLine().getOut();
    // Ctrl-C (SIGINT) or SIGTERM is how a watch ends: leave with 0 instead of the signal's status.
    try (var ctrlC = CtrlC.exitsZero(out)) {
      while (true) {
        var next = table.get();
        if (Terminal.interactive()) {
          out.print("\u001b[H\u001b[2J");
        }
        next.print(out);
        if (!Terminal.interactive()) {
          out.println();
        }
        out.flush();
        Thread.sleep(INTERVAL_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.OK;
    }
  }
}
