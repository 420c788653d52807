package ai.dstack.cli;

/**
 * A failure the CLI explains in one line (what went wrong and how to fix it), with its exit code.
 */
final class CliException extends RuntimeException {
  private final int exitCode;

  CliException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  /** A failure with {@link ExitCodes#FAILURE}. */
  CliException(String message) {
    this(message, ExitCodes.FAILURE);
  }

  int exitCode() {
    return exitCode;
  }
}
