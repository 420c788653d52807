package ai.dstack.runner;

import ai.dstack.core.agents.runner.ClusterInfo;
import ai.dstack.core.agents.runner.FileArchiveMapping;
import ai.dstack.core.agents.runner.JobInfoResponse;
import ai.dstack.core.agents.runner.JobSpec;
import ai.dstack.core.agents.runner.JobState;
import ai.dstack.core.agents.runner.SubmitBody;
import ai.dstack.core.agents.runner.TerminationReason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * One run of the submitted job, on a thread of its own: sets up the repo and the files, starts the
 * process, copies its output into the event log to the end, enforces {@code max_duration}, the log
 * quota and stops, and records how the job ended.
 *
 * <p>The final state is recorded only once the process exited and its output was read to the end of
 * the pipe, so the last pull holds every line the job printed.
 */
final class JobExecution {
  /** dstack's runner waits this long between the stop signal and the kill. */
  static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);

  /**
   * How long the output may stay open after the job's process exited: processes it left in its
   * group are killed then, as a container's are when its main process exits.
   */
  static final Duration OUTPUT_GRACE = Duration.ofSeconds(2);

  private static final int OUTPUT_CHUNK_BYTES = 64 * 1024;

  private final SubmitBody body;
  private final JobSpec spec;
  private final RunnerPaths paths;
  private final EventLog events;
  private final RunnerLog log;
  private final CompletableFuture<TerminationReason> stopRequest = new CompletableFuture<>();
  private JobUser user;
  private JobUser switchTo;
  private Path workingDir;
  private volatile JobProcess process;
  private long logQuotaBytes;

  JobExecution(SubmitBody body, RunnerPaths paths, EventLog events, RunnerLog log) {
    this.body = body;
    this.spec = body.jobSpec();
    this.paths = paths;
    this.events = events;
    this.log = log;
    this.logQuotaBytes = body.logQuotaHour() == null ? 0 : body.logQuotaHour();
  }

  /**
   * Resolves the job's user and working dir: what {@code /api/run} answers.
   *
   * @throws JobFailure when there is no such user or the working dir is not absolute
   */
  JobInfoResponse prepare() throws JobFailure {
    JobUser runner = JobUser.current();
    if (spec.user() == null) {
      user = runner;
    } else {
      try {
        user = JobUser.resolve(spec.user());
      } catch (IllegalArgumentException e) {
        throw JobFailure.executorError("Failed to set job user (" + e.getMessage() + ")");
      }
      if (user.uid() != runner.uid() || user.gid() != runner.gid()) {
        if (runner.isRoot()) {
          switchTo = user;
        } else {
          log.warn(
              "The runner is not root, so the job runs as %s, not as %s",
              runner.name(), user.name());
          user = runner;
        }
      }
    }
    try {
      workingDir =
          spec.workingDir() == null
              ? paths.workDir()
              : PathExpansion.expand(spec.workingDir(), null, user.home());
    } catch (IllegalArgumentException e) {
      throw JobFailure.executorError("Failed to set job working dir (" + e.getMessage() + ")");
    }
    if (!workingDir.isAbsolute()) {
      throw JobFailure.executorError(
          "Failed to set job working dir (working dir must be absolute: " + workingDir + ")");
    }
    return new JobInfoResponse(workingDir.toString(), user.name());
  }

  /** Runs the job on a thread of its own; {@code onEnd} runs once its final state is recorded. */
  void start(Runnable onEnd) {
    Thread.ofPlatform()
        .name("job")
        .start(
            () -> {
              try {
                execute();
              } finally {
                onEnd.run();
              }
            });
  }

  /** Asks the job to stop for {@code reason}; the first reason wins. */
  void stop(TerminationReason reason) {
    stopRequest.complete(reason);
  }

  /**
   * On the runner's own shutdown: stops the job at once, its group killed after a short grace. A
   * job asked to stop before keeps that reason; otherwise it fails with {@code executor_error}.
   */
  void kill(Duration grace) {
    stop(TerminationReason.EXECUTOR_ERROR);
    JobProcess running = process;
    if (running != null && running.process().isAlive()) {
      running.signal("TERM");
      try {
        running.process().waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      running.signal("KILL");
    }
  }

  private void execute() {
    try {
      log.info("Run job");
      Path repoDir = setupRepo();
      setupFiles();
      throwIfStopped();
      Path hostfile = paths.mpiHostfile();
      Map<String, String> dstack =
          JobEnvironment.dstackVariables(body, repoDir, workingDir, hostfile);
      Map<String, String> env = JobEnvironment.build(System.getenv(), dstack, body, user.home());
      ClusterInfo cluster =
          body.clusterInfo() != null ? body.clusterInfo() : ClusterInfo.singleNode();
      try {
        JobEnvironment.writeMpiHostfile(cluster, hostfile);
      } catch (IOException e) {
        throw JobFailure.executorError("Failed to write the MPI hostfile (" + e.getMessage() + ")");
      }
      try {
        JobEnvironment.writeProfile(env, paths.profile());
      } catch (IOException e) {
        log.warn("Failed to write %s: %s", paths.profile(), e.getMessage());
      }
      List<String> argv = spec.argv();
      if (JobProcess.which(argv.getFirst(), env.get("PATH")).isEmpty()) {
        throw JobFailure.executorError("Command not found: " + argv.getFirst());
      }
      try {
        if (switchTo != null) {
          switchTo.createDirectories(workingDir);
        } else {
          Files.createDirectories(workingDir);
        }
      } catch (IOException e) {
        throw JobFailure.executorError(
            "Failed to create the working dir " + workingDir + " (" + e.getMessage() + ")");
      }
      throwIfStopped();
      runProcess(argv, env);
    } catch (JobFailure failure) {
      log.error("Job failed: %s", failure.getMessage());
      events.appendState(failure.state(), failure.reason(), failure.getMessage(), null);
    } catch (RuntimeException e) {
      log.error("Executor failed: %s", e);
      events.appendState(
          JobState.FAILED, TerminationReason.EXECUTOR_ERROR, "Executor failed: " + e, null);
    }
  }

  private Path setupRepo() throws JobFailure {
    Path repoDir;
    try {
      repoDir =
          spec.repoDir() == null
              ? paths.defaultRepoDir()
              : PathExpansion.expand(spec.repoDir(), workingDir, user.home());
    } catch (IllegalArgumentException e) {
      throw JobFailure.repoError(e.getMessage());
    }
    var checkout = new RepoCheckout(log, paths.scratch(), stopRequest::isDone);
    try {
      checkout.checkout(
          repoDir,
          body.effectiveRepoData(),
          body.repoCredentials(),
          spec.singleBranch(),
          spec.repoExistsAction(),
          paths.uploads().code());
      if (switchTo != null) {
        switchTo.chownTree(repoDir);
      }
      Files.deleteIfExists(paths.uploads().code());
    } catch (IOException e) {
      throwIfStopped();
      throw JobFailure.repoError(e.getMessage());
    }
    return repoDir;
  }

  private void setupFiles() throws JobFailure {
    for (FileArchiveMapping mapping : spec.fileArchives()) {
      Path archive;
      Path destination;
      try {
        archive = paths.uploads().archive(mapping.id());
        destination = PathExpansion.expand(mapping.path(), workingDir, user.home());
      } catch (ApiError | IllegalArgumentException e) {
        throw JobFailure.filesError(e.getMessage());
      }
      if (!Files.exists(archive)) {
        throw JobFailure.filesError("file archive " + mapping.id() + " was not uploaded");
      }
      String name = destination.getFileName() == null ? "" : destination.getFileName().toString();
      try (InputStream in = Files.newInputStream(archive)) {
        Path parent = destination.getParent();
        if (switchTo != null) {
          switchTo.createDirectories(parent);
        } else {
          Files.createDirectories(parent);
        }
        deleteTree(destination);
        // The archive holds one top-level entry, named after the source; it lands as the path.
        List<Path> created =
            TarExtractor.extract(in, parent, entry -> name + entry.replaceFirst("^[^/]*", ""));
        if (switchTo != null) {
          for (Path path : created) {
            switchTo.chown(path);
          }
        }
        log.info("Extracted file archive %s to %s", mapping.id(), destination);
      } catch (IOException e) {
        throw JobFailure.filesError("extract file archive " + mapping.id() + ": " + e.getMessage());
      }
    }
  }

  private void runProcess(List<String> argv, Map<String, String> env) throws JobFailure {
    JobProcess started;
    try {
      started = JobProcess.start(argv, workingDir, env, switchTo, log);
    } catch (IOException e) {
      throw JobFailure.executorError("Failed to start the job (" + e.getMessage() + ")");
    }
    process = started;
    events.appendState(JobState.RUNNING, null, null, null);
    log.info("Job state changed: running (pid %d, as %s)", started.process().pid(), user.name());
    Thread output =
        Thread.ofPlatform().name("job-output").start(() -> copyOutput(started.process()));

    TerminationReason stoppedFor = supervise(started);
    int exitStatus = awaitExit(started.process(), Duration.ofSeconds(30));
    awaitOutput(started, output);
    started.signal("KILL"); // whatever is left of the group
    recordEnd(stoppedFor, exitStatus);
  }

  /**
   * Waits for the process, a stop, or {@code max_duration}; returns why it was stopped, or null.
   */
  private TerminationReason supervise(JobProcess started) {
    Process proc = started.process();
    long maxMillis =
        spec.maxDuration() != null && spec.maxDuration() > 0 ? spec.maxDuration() * 1000L : 0;
    CompletableFuture<Object> first = CompletableFuture.anyOf(proc.onExit(), stopRequest);
    TerminationReason reason;
    try {
      if (maxMillis > 0) {
        first.get(maxMillis, TimeUnit.MILLISECONDS);
      } else {
        first.get();
      }
      if (!stopRequest.isDone()) {
        return null;
      }
      reason = stopRequest.getNow(TerminationReason.TERMINATED_BY_USER);
    } catch (TimeoutException e) {
      stopRequest.complete(TerminationReason.MAX_DURATION_EXCEEDED);
      reason = stopRequest.getNow(TerminationReason.MAX_DURATION_EXCEEDED);
    } catch (ExecutionException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reason = TerminationReason.TERMINATED_BY_USER;
    }
    if (!proc.isAlive()) {
      return reason;
    }
    if (reason == TerminationReason.LOG_QUOTA_EXCEEDED) {
      log.info("Killing the job's process group: log quota exceeded");
      started.signal("KILL");
      return reason;
    }
    Duration grace =
        spec.stopDuration() != null && spec.stopDuration() >= 0
            ? Duration.ofSeconds(spec.stopDuration())
            : DEFAULT_STOP_GRACE;
    log.info(
        "Stopping the job (%s): SIGTERM to its process group, SIGKILL after %s",
        reason.wireValue(), grace);
    if (!StopDelivery.send(started, log).awaitExit(grace)) {
      log.info("The job did not exit within %s: SIGKILL to its process group", grace);
      started.signal("KILL");
    }
    return reason;
  }

  /** The exit status, or Integer.MIN_VALUE when the process still runs after {@code timeout}. */
  private static int awaitExit(Process proc, Duration timeout) {
    try {
      if (proc.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return proc.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Integer.MIN_VALUE;
  }

  private void awaitOutput(JobProcess started, Thread output) {
    try {
      output.join(OUTPUT_GRACE);
      if (output.isAlive()) {
        log.info("The job's output is still open by processes it left; killing its process group");
        started.signal("KILL");
        output.join(OUTPUT_GRACE);
      }
      if (output.isAlive()) {
        log.warn("The job's output is held open outside its process group; not reading further");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Copies the job's output, chunk by chunk as it comes, into the event log, to the pipe's end. */
  private void copyOutput(Process proc) {
    byte[] buffer = new byte[OUTPUT_CHUNK_BYTES];
    long hourStartedAt = System.nanoTime();
    long bytesThisHour = 0;
    boolean quotaExceeded = false;
    boolean warnedDisk = false;
    var notices = new ShellNotices();
    try (InputStream in = proc.getInputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (n == 0) {
          continue;
        }
        if (quotaExceeded) {
          continue; // read on so the job never blocks on a full pipe before it is killed
        }
        if (logQuotaBytes > 0) {
          if (System.nanoTime() - hourStartedAt >= TimeUnit.HOURS.toNanos(1)) {
            hourStartedAt = System.nanoTime();
            bytesThisHour = 0;
          }
          if (bytesThisHour + n > logQuotaBytes) {
            quotaExceeded = true;
            stopRequest.complete(TerminationReason.LOG_QUOTA_EXCEEDED);
            continue;
          }
          bytesThisHour += n;
        }
        byte[] kept = notices.filter(buffer, 0, n);
        if (kept.length > 0 && !events.appendJobOutput(kept, 0, kept.length) && !warnedDisk) {
          warnedDisk = true;
          log.warn("Cannot write job.log; keeping the job's output in memory");
        }
      }
      byte[] rest = notices.rest();
      if (rest.length > 0) {
        events.appendJobOutput(rest, 0, rest.length);
      }
    } catch (IOException e) {
      log.warn("Reading the job's output failed: %s", e.getMessage());
    }
  }

  private void recordEnd(TerminationReason stoppedFor, int exitStatus) {
    if (stoppedFor == null) {
      if (exitStatus == 0) {
        events.appendState(JobState.DONE, TerminationReason.DONE_BY_RUNNER, null, 0);
      } else {
        events.appendState(
            JobState.FAILED, TerminationReason.CONTAINER_EXITED_WITH_ERROR, null, exitStatus);
      }
      log.info(
          "Job state changed: %s (exit status %d)",
          exitStatus == 0 ? "done" : "failed", exitStatus);
      return;
    }
    switch (stoppedFor) {
      case MAX_DURATION_EXCEEDED ->
          events.appendState(JobState.TERMINATED, stoppedFor, "Max duration exceeded", null);
      case EXECUTOR_ERROR ->
          events.appendState(
              JobState.FAILED,
              stoppedFor,
              "The runner was shut down while the job ran (by its host or the shim)",
              null);
      case LOG_QUOTA_EXCEEDED ->
          events.appendState(
              JobState.FAILED,
              stoppedFor,
              "Job log output exceeded the hourly quota of " + logQuotaBytes + " bytes",
              null);
      default -> events.appendState(JobState.TERMINATED, stoppedFor, null, null);
    }
    log.info("Job state changed: %s", events.lastState().wireValue());
  }

  private void throwIfStopped() throws JobFailure {
    if (stopRequest.isDone()) {
      TerminationReason reason = stopRequest.getNow(TerminationReason.TERMINATED_BY_USER);
      JobState state =
          reason == TerminationReason.EXECUTOR_ERROR ? JobState.FAILED : JobState.TERMINATED;
      throw new JobFailure(state, reason, "The job was stopped before its process started");
    }
  }

  /** Deletes {@code path} and, for a directory, everything under it; symlinks are not followed. */
  static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(path);
      return;
    }
    try (Stream<Path> tree = Files.walk(path)) {
      for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Why the job could not run: its final state, reason and message. */
  static final class JobFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient JobState state;
    private final transient TerminationReason reason;

    JobFailure(JobState state, TerminationReason reason, String message) {
      super(message, null, false, false);
      this.state = state;
      this.reason = reason;
    }

    static JobFailure executorError(String message) {
      return new JobFailure(JobState.FAILED, TerminationReason.EXECUTOR_ERROR, message);
    }

    /** dstack's runner reports a repo that cannot be set up as the container's error. */
    static JobFailure repoError(String message) {
      return new JobFailure(
          JobState.FAILED,
          TerminationReason.CONTAINER_EXITED_WITH_ERROR,
          "Failed to set up the repo (" + message + ")");
    }

    static JobFailure filesError(String message) {
      return executorError("Failed to set up files (" + message + ")");
    }

    JobState state() {
      return state;
    }

    TerminationReason reason() {
      return reason;
    }
  }
}
