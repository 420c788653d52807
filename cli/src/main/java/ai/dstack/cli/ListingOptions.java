package ai.dstack.cli;

import picocli.CommandLine.Option;

/** The options of dstack's listings ({@code fleet}, {@code volume}, {@code gateway}). */
final class ListingOptions {

  @Option(
      names = {"-w", "--watch"},
      description = "Update the listing every 2 seconds, until Ctrl-C.")
  boolean watch;

  @Option(
      names = {"-v", "--verbose"},
      description = "Show more information.")
  boolean verbose;

  @Option(names = "--json", description = "Print the listing as JSON, as the server returns it.")
  boolean json;

  /** Refuses {@code --json} with {@code --watch}, as dstack does. */
  void check() {
    if (watch && json) {
      throw new CliException("JSON output is not supported together with --watch", ExitCodes.USAGE);
    }
  }
}
