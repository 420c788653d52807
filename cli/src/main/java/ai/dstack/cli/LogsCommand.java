package ai.dstack.cli;

import ai.dstack.core.api.logs.PollLogsRequest;
import ai.dstack.core.api.runs.GetRunRequest;
import ai.dstack.core.runs.wire.Job;
import ai.dstack.core.runs.wire.JobSubmission;
import ai.dstack.core.runs.wire.Run;
import ai.dstack.sdk.api.DstackApi;
import ai.dstack.sdk.api.DstackException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dstack logs RUN}: what a job of the run wrote (the first job by default), its raw bytes as
 * they were written. {@code -f} follows a live run until it ends, each line once and in order;
 * {@code -d} shows the runner's own log instead; {@code --since} skips older lines.
 */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = "Show the logs of a run's job; -f follows the run until it ends.")
final class LogsCommand implements Callable<Integer> {
  private static final Duration FIRST_WAIT = Duration.ofMillis(200);
  private static final Duration MAX_WAIT = Duration.ofSeconds(1);
  private static final int PAGE = 1000;
  private static final Pattern DURATION = Pattern.compile("(\\d+) *([smhdw])");

  @Mixin ProjectOptions project;

  @Option(
      names = {"-d", "--diagnose"},
      description = "Show the run's diagnostic logs (the runner's) instead of the job's.")
  boolean diagnose;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new lines until the run finishes (Ctrl-C stops following).")
  boolean follow;

  @Option(
      names = "--replica",
      paramLabel = "N",
      description = "The replica number (default: ${DEFAULT-VALUE}).")
  int replica = 0;

  @Option(
      names = "--job",
      paramLabel = "N",
      description = "The job number inside the replica (default: ${DEFAULT-VALUE}).")
  int job = 0;

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      description =
          "Only lines newer than this: a duration back from now (10s, 5m, 2h, 1d, 1w) or an"
              + " RFC 3339 date-time (2023-09-24T15:30:00Z).")
  String since;

  @Parameters(paramLabel = "RUN", description = "The run's name.")
  String runName;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    Instant start = since == null ? null : since(since, Instant.now());
    var out = spec.commandLine().getOut();
    try (var dstack = project.connect();
        var ctrlC = CtrlC.exitsZero(out)) {
      var api = dstack.api();
      Run run;
      try {
        run = api.runs().get(dstack.project(), GetRunRequest.byName(runName));
      } catch (DstackException.NotFound e) {
        throw new CliException("Run " + runName + " not found");
      }
      out.flush();
      new Printer(api, dstack.project(), run, start, System.out).print();
    }
    return ExitCodes.OK;
  }

  /** Pages of {@code logs/poll} written to {@code sink}, following the run when asked. */
  private final class Printer {
    private final DstackApi api;
    private final String projectName;
    private final Instant start;
    private final PrintStream sink;
    private Run run;

    Printer(DstackApi api, String projectName, Run run, Instant start, PrintStream sink) {
      this.api = api;
      this.projectName = projectName;
      this.run = run;
      this.start = start;
      this.sink = sink;
    }

    void print() throws InterruptedException {
      boolean finishedSeen = run.status().isFinished();
      Duration wait = FIRST_WAIT;
      JobSubmission submission = submission();
      while (submission == null) {
        // No such job yet: a following command waits for it while the run lives.
        if (!follow || finishedSeen) {
          if (run.jobs().isEmpty()) {
            return;
          }
          throw new CliException(noSuchJob());
        }
        Thread.sleep(wait.toMillis());
        wait = next(wait);
        refresh();
        finishedSeen = run.status().isFinished();
        submission = submission();
      }
      UUID submissionId = submission.id();
      Instant after = start;
      String token = null;
      while (true) {
        var page =
            api.logs()
                .poll(
                    projectName,
                    new PollLogsRequest(
                        runName, submissionId, after, null, false, token, PAGE, diagnose));
        Instant lastSeen = null;
        for (var event : page.logs()) {
          byte[] bytes = event.bytes();
          sink.write(bytes, 0, bytes.length);
          lastSeen = event.timestamp();
        }
        sink.flush();
        if (page.nextToken() != null) {
          // The same query goes on a page later.
          token = page.nextToken();
          continue;
        }
        token = null;
        if (lastSeen != null) {
          // The server's timestamps grow strictly within a log and start_time is exclusive.
          after = lastSeen;
        }
        if (!follow) {
          return;
        }
        if (!page.logs().isEmpty()) {
          // More may be coming soon: ask again shortly, without asking how the run is.
          wait = FIRST_WAIT;
          if (!finishedSeen) {
            Thread.sleep(wait.toMillis());
          }
          continue;
        }
        // Drained. A job's last lines are stored before it finishes, so one drain after the
        // run was seen finished has them all.
        if (finishedSeen) {
          return;
        }
        Thread.sleep(wait.toMillis());
        wait = next(wait);
        refresh();
        finishedSeen = run.status().isFinished();
        var latest = submission();
        if (latest != null && !latest.id().equals(submissionId)) {
          // Resubmitted (a retry): the earlier submission's log is complete; go on with the new.
          submissionId = latest.id();
          after = start;
        }
      }
    }

    private void refresh() {
      run = api.runs().get(projectName, GetRunRequest.byId(run.id()));
    }

    private JobSubmission submission() {
      for (Job candidate : run.jobs()) {
        if (candidate.jobSpec().jobNum() == job && candidate.jobSpec().replicaNum() == replica) {
          return candidate.latestSubmission();
        }
      }
      return null;
    }

    private String noSuchJob() {
      String jobs =
          run.jobs().stream()
              .map(j -> "--replica " + j.jobSpec().replicaNum() + " --job " + j.jobSpec().jobNum())
              .collect(Collectors.joining(", "));
      return "Run "
          + runName
          + " has no job "
          + job
          + " in replica "
          + replica
          + "; it has: "
          + jobs;
    }
  }

  private static Duration next(Duration wait) {
    var doubled = wait.multipliedBy(2);
    return doubled.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : doubled;
  }

  /**
   * {@code --since} as dstack reads it: seconds ({@code 90}), a duration ({@code 10m}: s, m, h, d
   * or w) back from {@code now}, or an ISO 8601 date-time with its offset.
   */
  static Instant since(String text, Instant now) {
    String value = text.strip();
    if (value.matches("\\d+")) {
      return now.minusSeconds(Long.parseLong(value));
    }
    var duration = DURATION.matcher(value);
    if (duration.matches()) {
      long amount = Long.parseLong(duration.group(1));
      long unit =
          switch (duration.group(2)) {
            case "s" -> 1;
            case "m" -> 60;
            case "h" -> 3600;
            case "d" -> 86400;
            default -> 7 * 86400;
          };
      return now.minusSeconds(amount * unit);
    }
    String iso = value.length() > 10 && value.charAt(10) == ' ' ? isoWithT(value) : value;
    try {
      return OffsetDateTime.parse(iso.toUpperCase(Locale.ROOT)).toInstant();
    } catch (DateTimeParseException e) {
      if (naive(iso)) {
        throw new CliException(
            "--since "
                + text
                + " has no time zone: add one, e.g. "
                + iso
                + (iso.contains("T") ? "" : "T00:00:00")
                + "Z for UTC");
      }
      throw new CliException(
          "--since "
              + text
              + " is neither a duration (10s, 5m, 2h, 1d, 1w) nor a date-time with a time zone"
              + " (2023-09-24T15:30:00Z)");
    }
  }

  private static String isoWithT(String value) {
    return value.substring(0, 10) + "T" + value.substring(11);
  }

  private static boolean naive(String iso) {
    try {
      LocalDateTime.parse(iso);
      return true;
    } catch (DateTimeParseException e) {
      try {
        LocalDate.parse(iso);
        return true;
      } catch (DateTimeParseException e2) {
        return false;
      }
    }
  }
}
