package ai.dstack.cli;

import ai.dstack.core.api.metrics.GetJobMetricsRequest;
import ai.dstack.core.api.metrics.JobMetrics;
import ai.dstack.core.api.runs.GetRunRequest;
import ai.dstack.core.runs.wire.Run;
import ai.dstack.sdk.Dstack;
import ai.dstack.sdk.api.DstackException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dstack metrics RUN}: the run's jobs' CPU, memory and GPU use over the last hour, as
 * sparklines ({@link MetricsTable}); {@code -w} redraws the table as new samples come (every 10 s,
 * the server's pace).
 */
@Command(name = "metrics", mixinStandardHelpOptions = true, description = "Show run metrics")
final class MetricsCommand implements Callable<Integer> {

  /** The server samples a running job this often: a new point cannot come sooner. */
  static final Duration WATCH_INTERVAL = Duration.ofSeconds(10);

  @Mixin ProjectOptions project;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN_NAME", description = "The run.")
  String runName;

  @Option(
      names = {"-w", "--watch"},
      description = "Watch run metrics in realtime.")
  boolean watch;

  @Option(
      names = "--replica",
      paramLabel = "N",
      description = "Show only this replica. By default, all jobs are shown.")
  Integer replica;

  @Option(
      names = "--job",
      paramLabel = "N",
      description = "Show only this job number. By default, all jobs are shown.")
  Integer job;

  @Override
  public Integer call() throws InterruptedException {
    var out = spec.commandLine().getOut();
    try (var dstack = project.connect()) {
      var table = table(dstack);
      if (!watch) {
        out.print(table);
        out.flush();
        return ExitCodes.OK;
      }
      // Ctrl-C is how a watch ends: with 0, as dstack's.
      try (var ctrlC = CtrlC.exitsZero(out)) {
        while (true) {
          if (Terminal.interactive()) {
            out.print("\u001b[H\u001b[2J");
          }
          out.print(table);
          if (!Terminal.interactive()) {
            out.println();
          }
          out.flush();
          Thread.sleep(WATCH_INTERVAL);
          table = table(dstack);
        }
      }
    }
  }

  /** The run's jobs and their metrics, rendered. */
  private String table(Dstack dstack) {
    var api = dstack.api();
    Run run;
    try {
      run = api.runs().get(dstack.project(), GetRunRequest.byName(runName));
    } catch (DstackException.NotFound e) {
      throw new CliException("Run " + runName + " not found");
    }
    var jobs =
        run.jobs().stream()
            .filter(j -> replica == null || j.jobSpec().replicaNum() == replica)
            .filter(j -> job == null || j.jobSpec().jobNum() == job)
            .toList();
    if (jobs.isEmpty()) {
      var wanted =
          Stream.of(
                  replica == null ? null : "replica=" + replica, job == null ? null : "job=" + job)
              .filter(Objects::nonNull)
              .collect(Collectors.joining(" "));
      throw new CliException("Run " + runName + " has no job matching " + wanted);
    }
    List<JobMetrics> metrics =
        jobs.stream()
            .map(
                j ->
                    api.metrics()
                        .job(
                            dstack.project(),
                            new GetJobMetricsRequest(
                                runName,
                                run.id(),
                                j.jobSpec().replicaNum(),
                                j.jobSpec().jobNum(),
                                MetricsTable.MAX_SAMPLES,
                                null,
                                null)))
            .toList();
    var text = new StringWriter();
    new MetricsTable(consoleWidth(), Instant.now(), ZoneId.systemDefault())
        .render(jobs, metrics)
        .print(new PrintWriter(text));
    return text.toString();
  }

  /** The terminal's width as {@code COLUMNS} says, else 80 (what Rich assumes off a terminal). */
  private static int consoleWidth() {
    var columns = System.getenv("COLUMNS");
    try {
      return columns == null ? 80 : Math.max(20, Integer.parseInt(columns.strip()));
    } catch (NumberFormatException e) {
      return 80;
    }
  }
}
