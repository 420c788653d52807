package ai.dstack.cli;

import ai.dstack.sdk.api.DstackException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns what a command throws into one clear line on stderr and a named exit code: never a stack
 * trace, unless the command ran with {@code -v} or {@code DSTACK_CLI_LOG_LEVEL=debug}.
 */
final class ErrorReporter implements IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
    var err = command.getErr();
    int code =
        switch (e) {
          case DstackException.NotConfigured n -> {
            err.println(Terminal.red("Error: ") + n.getMessage());
            yield ExitCodes.NOT_CONFIGURED;
          }
          case DstackException.ServerUnavailable u -> {
            err.println(
                Terminal.red("Error: ")
                    + u.getMessage()
                    + " Start it with `dstack server`, or point the project at the right URL with"
                    + " `dstack project add --name NAME --url URL --token TOKEN`.");
            yield ExitCodes.SERVER_UNREACHABLE;
          }
          case DstackException.Unauthorized u -> {
            err.println(
                Terminal.red("Error: ")
                    + "the server at "
                    + origin(u)
                    + " refused the token (401). Check it with `dstack project list`; a new one"
                    + " comes from the server's admin, then `dstack project add` again.");
            yield ExitCodes.NOT_ALLOWED;
          }
          case DstackException.Forbidden f -> {
            err.println(Terminal.red("Error: ") + f.getMessage());
            yield ExitCodes.NOT_ALLOWED;
          }
          case DstackException.InvalidConfiguration i -> {
            err.println(Terminal.red("Invalid configuration:"));
            err.println(i.getMessage());
            yield ExitCodes.INVALID;
          }
          case DstackException d -> {
            err.println(Terminal.red("Error: ") + d.getMessage());
            yield ExitCodes.FAILURE;
          }
          case CliException c -> {
            err.println(Terminal.red("Error: ") + c.getMessage());
            yield c.exitCode();
          }
          case UncheckedIOException io -> {
            err.println(Terminal.red("Error: ") + io.getMessage() + ": " + io.getCause());
            yield ExitCodes.FAILURE;
          }
          default -> {
            err.println(Terminal.red("Error: ") + e);
            yield ExitCodes.FAILURE;
          }
        };
    if (verbose(parsed)) {
      e.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  private static String origin(DstackException e) {
    if (e.url() == null) {
      return "the configured URL";
    }
    var url = e.url();
    return url.getScheme() + "://" + url.getAuthority();
  }

  private static boolean verbose(ParseResult parsed) {
    String level = System.getenv("DSTACK_CLI_LOG_LEVEL");
    if (level != null && level.equalsIgnoreCase("debug")) {
      return true;
    }
    for (var result = parsed; result != null; result = result.subcommand()) {
      if (result.hasMatchedOption("-v")) {
        return true;
      }
    }
    return false;
  }
}
