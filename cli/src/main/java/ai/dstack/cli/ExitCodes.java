package ai.dstack.cli;

/** The CLI's exit codes: scripts can tell a failed run from an unreachable server. */
final class ExitCodes {
  private ExitCodes() {}

  /** Everything went well; for {@code apply}, the run ended {@code done}. */
  static final int OK = 0;

  /**
   * The command failed (e.g. an unknown run, a refused request), or the run {@code apply} followed
   * did not end {@code done}.
   */
  static final int FAILURE = 1;

  /** A configuration (or another input) is invalid; every problem was printed. */
  static final int INVALID = 1;

  /** The command line itself is wrong (unknown option, missing argument). */
  static final int USAGE = 2;

  /** No project is configured or the one named is unknown: {@code dstack project add} fixes it. */
  static final int NOT_CONFIGURED = 3;

  /** The server could not be reached (down, wrong URL). */
  static final int SERVER_UNREACHABLE = 4;

  /** The server refused the token (401) or the user's role (403). */
  static final int NOT_ALLOWED = 5;

  /** The user pressed Ctrl-C: an attached {@code apply} detached and the run goes on. */
  static final int INTERRUPTED = 130;
}
