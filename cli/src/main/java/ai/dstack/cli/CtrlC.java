package ai.dstack.cli;

import java.io.PrintWriter;

/**
 * Ctrl-C as the normal end of a command that runs until stopped ({@code ps -w}, {@code logs -f}):
 * while armed, a SIGINT (or SIGTERM) flushes what was printed and exits 0, as dstack's CLI does,
 * instead of the JVM's 130. Closing it disarms it, so the command's own exit code stands.
 */
final class CtrlC implements AutoCloseable {
  private final Thread hook;
  private volatile boolean armed = true;

  private CtrlC(PrintWriter out) {
    hook =
        new Thread(
            () -> {
              if (armed) {
                out.flush();
                System.out.flush();
                // Within shutdown, halt() sets the exit status the JVM ends with.
                Runtime.getRuntime().halt(ExitCodes.OK);
              }
            },
            "dstack-ctrl-c");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Armed until closed; {@code out} is flushed before exiting. */
  static CtrlC exitsZero(PrintWriter out) {
    return new CtrlC(out);
  }

  @Override
  public void close() {
    armed = false;
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook sees armed == false and lets the exit code stand.
    }
  }
}
