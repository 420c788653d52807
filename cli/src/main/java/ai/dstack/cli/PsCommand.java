package ai.dstack.cli;

import ai.dstack.core.api.runs.ListRunsRequest;
import ai.dstack.core.runs.wire.Run;
import ai.dstack.sdk.api.DstackApi;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dstack ps}: the project's runs as a table (or {@code --json}). By default the active runs,
 * or the latest finished one when none is active; {@code -a} the latest 100, {@code -n N} the
 * latest N. {@code -w} lists them again every 2 seconds until Ctrl-C.
 */
@Command(
    name = "ps",
    mixinStandardHelpOptions = true,
    description = {
      "List runs: the active ones, or the last finished one when none is active.",
    })
final class PsCommand implements Callable<Integer> {
  private static final int MAX_RUNS = 100;

  @Mixin ProjectOptions project;

  @Option(
      names = {"-a", "--all"},
      description = "Show all runs (the latest 100), not only the active ones.")
  boolean all;

  @Option(
      names = {"-v", "--verbose"},
      description = "Show more about each run: resources, instance type, probes, errors.")
  boolean verbose;

  @Option(
      names = {"-w", "--watch"},
      description = "List the runs again every 2 seconds, until Ctrl-C.")
  boolean watch;

  @Option(
      names = {"-n", "--last"},
      paramLabel = "N",
      description = "Show only the last N runs (1 to 100), finished or not. Implies --all.")
  Integer last;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "Output format: plain (default) or json.")
  Format format = Format.plain;

  @Option(
      names = "--json",
      description = "Print the runs as JSON: {\"project\": ..., \"runs\": [...]} (--format json).")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Output formats of {@code --format}. */
  enum Format {
    plain,
    json
  }

  /** What {@code --json} prints: the project and its runs as the server sent them. */
  record Output(String project, List<Run> runs) {}

  @Override
  public Integer call() {
    boolean asJson = json || format == Format.json;
    if (watch && asJson) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "JSON output (--json) is not supported together with --watch");
    }
    if (last != null && (last < 1 || last > MAX_RUNS)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "-n/--last must be between 1 and " + MAX_RUNS + ", got " + last);
    }
    var out = spec.commandLine().getOut();
    try (var dstack = project.connect()) {
      if (asJson) {
        JsonOutput.print(out, new Output(dstack.project(), list(dstack.api(), dstack.project())));
      } else if (watch) {
        var api = dstack.api();
        return WatchLoop.run(
            spec, () -> RunTable.table(list(api, dstack.project()), verbose, Instant.now()));
      } else {
        RunTable.print(out, list(dstack.api(), dstack.project()), verbose);
      }
    }
    return ExitCodes.OK;
  }

  /** dstack's {@code runs.list(all, limit)}: one page, newest first. */
  private List<Run> list(DstackApi api, String projectName) {
    boolean onlyActive = !all && last == null;
    int limit = last == null ? MAX_RUNS : last;
    var runs = api.runs().list(projectName, ListRunsRequest.latest(null, onlyActive, limit));
    if (onlyActive && runs.isEmpty()) {
      runs = api.runs().list(projectName, ListRunsRequest.latest(null, false, 1));
    }
    return runs;
  }
}
