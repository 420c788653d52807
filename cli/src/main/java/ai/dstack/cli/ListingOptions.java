package ai.dstack.cli;

import ai.dstack.sdk.Dstack;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
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

  /** A table of a project's resources, seen from that project, dates relative to {@code now}. */
  @FunctionalInterface
  interface TableOf<T> {
    Table of(List<T> items, String currentProject, boolean verbose, Instant now);
  }

  /**
   * Lists the project's resources as these options ask: once as a table, again and again with
   * {@code -w}, or as JSON ({@code {"project": ..., key: [...]}}) with {@code --json}.
   *
   * @param key the JSON field of the list: {@code fleets}
   * @param list fetches the resources of the connected project
   */
  <T> int print(
      CommandSpec spec,
      ProjectOptions project,
      String key,
      Function<Dstack, List<T>> list,
      TableOf<T> table) {
    check();
    var out = spec.commandLine().getOut();
    try (Dstack dstack = project.connect()) {
      if (json) {
        var output = new LinkedHashMap<String, Object>();
        output.put("project", dstack.project());
        output.put(key, list.apply(dstack));
        JsonOutput.print(out, output);
        return ExitCodes.OK;
      }
      if (watch) {
        return WatchLoop.run(
            spec, () -> table.of(list.apply(dstack), dstack.project(), verbose, Instant.now()));
      }
      table.of(list.apply(dstack), dstack.project(), verbose, Instant.now()).print(out);
      return ExitCodes.OK;
    }
  }
}
