package ai.dstack.cli;

/** The CLI's exit codes. */
final class ExitCodes {
  private ExitCodes() {}

  /** Everything went well. */
  static final int OK = 0;

  /** A configuration (or another input) is invalid; the problems were printed. */
  static final int INVALID = 1;

  /** The command line itself is wrong (unknown option, missing argument). */
  static final int USAGE = 2;
}
