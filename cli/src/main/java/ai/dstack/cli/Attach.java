package ai.dstack.cli;

import ai.dstack.core.runs.JobStatus;
import ai.dstack.core.runs.JobTerminationReason;
import ai.dstack.core.runs.RunStatus;
import ai.dstack.core.runs.wire.JobSubmission;
import ai.dstack.sdk.Run;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An attached {@code dstack apply} following the run it submitted: a status line on stderr until
 * the job runs (on a terminal redrawn in place behind a spinner, otherwise a line per change), with
 * each provisioning attempt that failed and why; then the job's log on stdout as it comes, each
 * line once and in order, until the run ends; then how it ended. Ctrl-C detaches: the run goes on,
 * and how to follow or stop it is said (the JVM exits with 130 for SIGINT).
 */
final class Attach {
  private static final Duration POLL = Duration.ofSeconds(1);

  /** How long a run may take to finish once its log has ended, as dstack waits. */
  private static final int FINISH_POLLS = 30;

  private static final String[] FRAMES = spinnerFrames();

  private final Run run;
  private final PrintWriter err;
  private final OutputStream stdout;
  private final boolean live;

  /** Held while writing, so Ctrl-C's message comes between lines, never inside one. */
  private final ReentrantLock output = new ReentrantLock();

  private final Set<String> attemptsShown = new HashSet<>();
  private volatile boolean detached;
  private ScheduledExecutorService spinner;
  private String status;
  private String lastShown;
  private boolean drawn;
  private int frame;

  /**
   * @param live whether stderr is a terminal, where the status line is redrawn in place
   */
  Attach(Run run, PrintWriter err, OutputStream stdout, boolean live) {
    this.run = run;
    this.err = err;
    this.stdout = stdout;
    this.live = live;
  }

  /** Follows the run to its end; the exit code: {@link ExitCodes#OK} if it ended done. */
  int follow() throws InterruptedException {
    var hook = new Thread(this::detach, "dstack-apply-detach");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      say("Run " + run.name() + " submitted");
      awaitStart();
      printLog();
      return finish();
    } finally {
      stopSpinner();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook has said how to follow the run
      }
    }
  }

  // ---- Until the job runs. ----

  private void awaitStart() throws InterruptedException {
    if (live) {
      spinner =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                var thread = new Thread(r, "dstack-apply-spinner");
                thread.setDaemon(true);
                return thread;
              });
      spinner.scheduleAtFixedRate(this::draw, 0, 100, TimeUnit.MILLISECONDS);
    }
    String submissionId = null;
    while (true) {
      var model = run.model();
      var submission = firstJobSubmission(model);
      if (submission != null) {
        var id = submission.id().toString();
        if (submissionId != null && !submissionId.equals(id)) {
          say(run.name() + ": resubmitted (submission " + (submission.submissionNum() + 1) + ")");
        }
        submissionId = id;
        reportAttempts(submission);
      }
      if (model.status().isFinished()) {
        // already over: its whole log, then how it ended
        stopSpinner();
        return;
      }
      showStatus(run.name() + ": " + describe(model, submission));
      if (started(model, submission)) {
        break;
      }
      Thread.sleep(POLL);
      run.refresh();
    }
    stopSpinner();
    if (!status.equals(lastShown)) {
      say(status);
    }
  }

  private void reportAttempts(JobSubmission submission) {
    for (var attempt : submission.provisioningAttempts()) {
      var key = submission.id() + "/" + attempt.attempt();
      if (attempt.finishedAt() == null || attempt.succeeded() || !attemptsShown.add(key)) {
        continue;
      }
      say(
          run.name()
              + ": attempt "
              + attempt.attempt()
              + (attempt.offer() == null ? "" : " on " + attempt.offer())
              + " failed: "
              + (attempt.reason() == null ? "no reason given" : attempt.reason()));
    }
  }

  private static boolean started(ai.dstack.core.runs.wire.Run model, JobSubmission submission) {
    return model.status() == RunStatus.RUNNING
        && submission != null
        && submission.status() != JobStatus.SUBMITTED
        && submission.status() != JobStatus.PROVISIONING
        && submission.status() != JobStatus.PULLING;
  }

  /** The run's state in a few words: submitted, provisioning on an offer, retrying, running. */
  private static String describe(ai.dstack.core.runs.wire.Run model, JobSubmission submission) {
    var runStatus = model.status();
    var message = model.statusMessage();
    if (runStatus.isFinished() || submission == null) {
      return message;
    }
    if (runStatus == RunStatus.PENDING || !message.equals(runStatus.value())) {
      // pending between submissions, or "retrying" after no capacity
      return message;
    }
    return switch (submission.status()) {
      case PROVISIONING -> {
        var attempts = submission.provisioningAttempts();
        yield attempts.isEmpty() || attempts.getLast().offer() == null
            ? "provisioning"
            : "provisioning on " + attempts.getLast().offer();
      }
      case SUBMITTED -> "submitted, waiting for an instance";
      default -> submission.statusMessage();
    };
  }

  // ---- The log. ----

  private void printLog() {
    try (var lines = run.logs()) {
      var iterator = lines.iterator();
      while (iterator.hasNext()) {
        var bytes = (iterator.next() + "\n").getBytes(StandardCharsets.UTF_8);
        output.lock();
        try {
          if (detached) {
            return;
          }
          stdout.write(bytes);
          stdout.flush();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write the run's log", e);
        } finally {
          output.unlock();
        }
      }
    }
  }

  // ---- How it ended. ----

  private int finish() throws InterruptedException {
    for (int i = 0; i < FINISH_POLLS && !run.model().status().isFinished(); i++) {
      Thread.sleep(POLL);
      run.refresh();
    }
    var model = run.model();
    var name = run.name();
    if (!model.status().isFinished()) {
      say(
          "Run "
              + name
              + " is still "
              + model.status().value()
              + " though its log has ended; see `dstack ps` for how it ends.");
      return ExitCodes.FAILURE;
    }
    var submission = firstJobSubmission(model);
    if (model.status() == RunStatus.DONE) {
      say(Terminal.green("Run " + name + " done"));
      return ExitCodes.OK;
    }
    var lines = new StringBuilder();
    lines.append(Terminal.red("Run " + name + " " + model.status().value()));
    if (submission != null) {
      lines.append(": ").append(submission.statusMessage());
      var reason = submission.terminationReason();
      if (reason != null) {
        lines.append("\n  Reason: ").append(reason.value().replace('_', ' '));
      }
      if (submission.exitStatus() != null) {
        lines.append("\n  Exit status: ").append(submission.exitStatus());
      }
      if (submission.error() != null) {
        lines.append("\n  Error: ").append(submission.error());
      }
      if (submission.terminationReasonMessage() != null
          && !submission.terminationReasonMessage().isBlank()) {
        lines.append("\n  ").append(submission.terminationReasonMessage().strip());
      }
      if (reason != null && reason != JobTerminationReason.FAILED_TO_START_DUE_TO_NO_CAPACITY) {
        lines
            .append("\nSee the job's runner log for details: dstack logs ")
            .append(name)
            .append(" -d");
      }
    } else if (model.error() != null) {
      lines.append(": ").append(model.error());
    }
    say(lines.toString());
    return ExitCodes.FAILURE;
  }

  // ---- Ctrl-C. ----

  /** The shutdown hook: SIGINT (Ctrl-C) detaches, once what was printed is out. */
  private void detach() {
    boolean locked = false;
    try {
      locked = output.tryLock(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      detached = true;
      clearLine();
      try {
        stdout.flush();
      } catch (IOException e) {
        // stdout is gone; stderr may still be read
      }
      var name = run.name();
      err.println();
      err.println("Detached from run " + name + "; it goes on.");
      err.println("  Follow its log: dstack logs " + name + " -f");
      err.println("  Stop it:        dstack stop " + name);
      err.flush();
    } finally {
      if (locked) {
        output.unlock();
      }
    }
  }

  // ---- The status line. ----

  /** The line under the spinner (on a terminal), or a line of its own when it changes. */
  private void showStatus(String text) {
    output.lock();
    try {
      status = text;
      if (!live && !text.equals(lastShown) && !detached) {
        err.println(text);
        err.flush();
        lastShown = text;
      }
    } finally {
      output.unlock();
    }
  }

  /** A line that stays: above the spinner on a terminal. */
  private void say(String line) {
    output.lock();
    try {
      if (detached) {
        return;
      }
      clearLine();
      err.println(line);
      lastShown = line;
      err.flush();
      if (spinner != null) {
        draw();
      }
    } finally {
      output.unlock();
    }
  }

  private void draw() {
    output.lock();
    try {
      if (detached || status == null || spinner == null) {
        return;
      }
      err.print("\r\u001b[K" + FRAMES[frame++ % FRAMES.length] + " " + status);
      err.flush();
      drawn = true;
    } finally {
      output.unlock();
    }
  }

  private void clearLine() {
    if (drawn) {
      err.print("\r\u001b[K");
      err.flush();
      drawn = false;
    }
  }

  private void stopSpinner() {
    output.lock();
    try {
      if (spinner != null) {
        spinner.shutdownNow();
        spinner = null;
      }
      clearLine();
    } finally {
      output.unlock();
    }
  }

  /** The latest submission of the run's first job (replica 0, job 0), or null before any. */
  static JobSubmission firstJobSubmission(ai.dstack.core.runs.wire.Run model) {
    for (var job : model.jobs()) {
      if (job.jobSpec().jobNum() == 0 && job.jobSpec().replicaNum() == 0) {
        return job.latestSubmission();
      }
    }
    return model.latestJobSubmission();
  }

  private static String[] spinnerFrames() {
    var encoding = System.getProperty("stderr.encoding", System.getProperty("stdout.encoding", ""));
    boolean unicode;
    try {
      unicode = !encoding.isEmpty() && Charset.forName(encoding).equals(StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      unicode = false;
    }
    return unicode
        ? new String[] {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}
        : new String[] {"|", "/", "-", "\\"};
  }
}
