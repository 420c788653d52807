package ai.dstack.activities.agents;

import ai.dstack.activities.logs.JobLog;
import ai.dstack.activities.logs.LogProducer;
import ai.dstack.activities.logs.LogStore;
import ai.dstack.activities.metrics.JobMetricsStore;
import ai.dstack.core.agents.runner.JobState;
import ai.dstack.core.agents.runner.JobStateEvent;
import ai.dstack.core.agents.runner.LogEvent;
import ai.dstack.core.agents.runner.PullResponse;
import ai.dstack.core.agents.shim.TaskStatus;
import ai.dstack.core.runs.JobTerminationReason;
import ai.dstack.workflows.agents.FollowCursor;
import ai.dstack.workflows.agents.FollowJob;
import ai.dstack.workflows.agents.JobExit;
import ai.dstack.workflows.agents.LogActivities;
import ai.dstack.workflows.agents.RunnerTarget;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LogActivities} over the runner's pull API and a {@link LogStore}.
 *
 * <p>Each round pulls the events after the cursor, appends the job's and the runner's log lines to
 * the store, and only then heartbeats the new cursor and pulls past them (which lets the runner
 * free them). A retried follow starts from its last heartbeat; the store skips what it holds, so
 * nothing is stored twice, and nothing the runner has freed is missing from it.
 *
 * <p>While the job runs, every {@code metricsInterval} (dstack's ten seconds) it also takes a
 * sample of the job's resource use from the runner for the {@link JobMetricsStore}: the first as it
 * starts following. A sample that cannot be taken or kept is skipped; it never ends the follow.
 *
 * <p>When the runner does not answer, the shim is asked about the job's task: a task that is over
 * (killed, or its runner exited) ends the follow with the shim's reason. Silence from both for
 * {@link AgentTimings#unreachableLimit()} ends it as {@code instance_unreachable}.
 */
public class LogActivitiesImpl implements LogActivities {
  private static final Logger log = LoggerFactory.getLogger(LogActivitiesImpl.class);

  /** A pull that carried this many bytes probably left more behind: pull again at once. */
  private static final long FULL_PULL_BYTES = 1 << 20;

  /**
   * The pause between pulls once the runner reported the job's end and is handing over the rest.
   */
  private static final Duration LAST_LINES_INTERVAL = Duration.ofMillis(20);

  /** While the runner does not answer, how often its task is looked at on the shim. */
  private static final Duration TASK_CHECK_INTERVAL = Duration.ofSeconds(2);

  /** dstack's pace of sampling running jobs' resource use. */
  public static final Duration METRICS_INTERVAL = Duration.ofSeconds(10);

  /** How long the runner may take to report the job's resource use (it may ask nvidia-smi). */
  private static final Duration METRICS_TIMEOUT = Duration.ofSeconds(15);

  private final LogStore store;
  private final AgentTimings timings;
  private final JobMetricsStore metrics;
  private final Duration metricsInterval;
  private final HttpClient client;

  /** With {@link AgentTimings#DEFAULTS}, keeping no metrics. */
  public LogActivitiesImpl(LogStore store) {
    this(store, AgentTimings.DEFAULTS);
  }

  /** With these timings (tests shorten the poll interval and the unreachable limit). */
  public LogActivitiesImpl(LogStore store, AgentTimings timings) {
    this(store, timings, JobMetricsStore.NONE, METRICS_INTERVAL);
  }

  /**
   * With these timings, keeping a sample of each running job's resource use in {@code metrics}
   * every {@code metricsInterval}.
   */
  public LogActivitiesImpl(
      LogStore store, AgentTimings timings, JobMetricsStore metrics, Duration metricsInterval) {
    if (metricsInterval.isNegative() || metricsInterval.isZero()) {
      throw new IllegalArgumentException(
          "the metrics interval must be positive: " + metricsInterval);
    }
    this.store = store;
    this.timings = timings;
    this.metrics = metrics;
    this.metricsInterval = metricsInterval;
    this.client = AgentHttp.newClient(timings.connectTimeout());
  }

  @Override
  public JobExit follow(FollowJob request) {
    return new Follow(request.target()).run();
  }

  /** One attempt at following a job. */
  private final class Follow {
    private final RunnerTarget target;
    private final String job;
    private final JobLog jobLog;
    private final JobLog runnerLog;
    private final RunnerClient runner;
    private final ShimClient shim;
    private final Polls.Silence silence = new Polls.Silence(timings.unreachableLimit());
    private final Polls.Pacing pacing = new Polls.Pacing(timings.pollInterval());
    private long pullFrom;
    private long jobLines;
    private long runnerLines;
    private JobStateEvent end;
    private FollowCursor cursor;
    private long nextSampleAt = System.nanoTime();
    private String lastSampleError;

    Follow(RunnerTarget target) {
      this.target = target;
      this.job = target.task().job().describe();
      this.jobLog = JobLog.of(target.task().job(), LogProducer.JOB);
      this.runnerLog = JobLog.of(target.task().job(), LogProducer.RUNNER);
      this.runner = new RunnerClient(client, target, timings);
      this.shim = new ShimClient(client, target.task(), timings);
    }

    JobExit run() {
      var resumed =
          Activity.getExecutionContext()
              .getHeartbeatDetails(FollowCursor.class)
              .orElse(FollowCursor.START);
      pullFrom = resumed.runnerTimestamp();
      jobLines = count(jobLog);
      runnerLines = count(runnerLog);
      cursor = new FollowCursor(pullFrom, jobLines, runnerLines);
      if (!resumed.equals(FollowCursor.START)) {
        log.info(
            "{}: following again from runner timestamp {}; the store holds {} job and {} runner"
                + " log lines (the cursor said {} and {})",
            job,
            pullFrom,
            jobLines,
            runnerLines,
            resumed.jobLogLines(),
            resumed.runnerLogLines());
      }
      long nextTaskCheck = System.nanoTime();
      String lastError = null;
      while (true) {
        PullResponse pulled;
        try {
          pulled = runner.pull(pullFrom);
          silence.heard();
          lastError = null;
        } catch (AgentUnavailableException e) {
          if (!e.getMessage().equals(lastError)) {
            log.warn("{}: {}", job, e.getMessage());
            lastError = e.getMessage();
          }
          if (System.nanoTime() - nextTaskCheck >= 0) {
            nextTaskCheck = System.nanoTime() + TASK_CHECK_INTERVAL.toNanos();
            JobExit ended = taskEnded();
            if (ended != null) {
              return ended;
            }
          }
          if (silence.lastedTooLong()) {
            log.warn("{}: the runner has not answered for {}", job, timings.unreachableLimit());
            return new JobExit(
                ShimReasons.unreachable(target.task()), ShimReasons.UNREACHABLE_MESSAGE, null);
          }
          Polls.heartbeat(cursor);
          Polls.pause(timings.pollInterval());
          continue;
        }
        store(pulled);
        sampleMetrics();
        if (!pulled.hasMore()) {
          return exit();
        }
        if (bytes(pulled) < FULL_PULL_BYTES) {
          // Once the job is over its last lines follow at once; until then, at the poll interval
          // (sooner in the first second, so a quick job's end is seen quickly).
          Polls.pause(end == null ? pacing.next() : LAST_LINES_INTERVAL);
        }
      }
    }

    /** Stores a pull's logs, then heartbeats the cursor past them. */
    private void store(PullResponse pulled) {
      jobLines = append(jobLog, pulled.jobLogs(), jobLines);
      runnerLines = append(runnerLog, pulled.runnerLogs(), runnerLines);
      for (JobStateEvent state : pulled.jobStates()) {
        if (state.state() != null && state.state().isFinished()) {
          end = state;
        }
      }
      pullFrom = Math.max(pullFrom, pulled.lastUpdated());
      // A retry must see the job's end again: the runner frees logs pulled past, never states.
      long resumeFrom = end == null ? pullFrom : Math.min(pullFrom, end.timestamp() - 1);
      cursor = new FollowCursor(resumeFrom, jobLines, runnerLines);
      Polls.heartbeat(cursor);
    }

    /**
     * Takes and keeps a sample of the job's resource use when one is due and the job still runs.
     */
    private void sampleMetrics() {
      if (metrics == JobMetricsStore.NONE || end != null || System.nanoTime() - nextSampleAt < 0) {
        return;
      }
      nextSampleAt = System.nanoTime() + metricsInterval.toNanos();
      try {
        var sample = runner.metrics(METRICS_TIMEOUT);
        if (sample.isPresent()) {
          metrics.store(target.task().job().submissionId(), sample.get());
        }
        lastSampleError = null;
      } catch (AgentUnavailableException | RuntimeException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw AgentFailures.interrupted();
        }
        // Metrics are a view: a missed sample leaves a gap, the follow goes on.
        if (!String.valueOf(e.getMessage()).equals(lastSampleError)) {
          log.warn("{}: no metrics sample: {}", job, e.getMessage());
          lastSampleError = String.valueOf(e.getMessage());
        }
      }
    }

    /** How the runner said the job ended, as dstack's server reads its last state. */
    private JobExit exit() {
      if (end == null) {
        return new JobExit(
            JobTerminationReason.EXECUTOR_ERROR,
            "the runner handed over its last events without the job's end",
            null);
      }
      log.info(
          "{}: {} ({}), exit status {}; {} job log lines stored",
          job,
          end.state().wireValue(),
          end.terminationReason() == null ? "no reason" : end.terminationReason().wireValue(),
          end.exitStatus(),
          jobLines);
      if (end.state() == JobState.DONE) {
        return new JobExit(JobTerminationReason.DONE_BY_RUNNER, null, end.exitStatus());
      }
      var reason =
          end.terminationReason() == null
              ? JobTerminationReason.CONTAINER_EXITED_WITH_ERROR
              : JobTerminationReason.of(end.terminationReason().wireValue());
      return new JobExit(reason, end.terminationMessage(), end.exitStatus());
    }

    /** How the job ended when its task is over on the shim; null while it runs or is unknown. */
    private JobExit taskEnded() {
      try {
        var task = shim.task(target.task().taskId());
        if (task.isEmpty()) {
          return new JobExit(
              JobTerminationReason.TERMINATED_BY_SERVER,
              "the job's task is gone from " + shim.http().agent(),
              null);
        }
        var info = task.get();
        if (info.status() != TaskStatus.TERMINATED) {
          return null;
        }
        log.info(
            "{}: the task ended before the runner handed over the job's end: {} {}",
            job,
            info.terminationReason(),
            info.terminationMessage());
        // done_by_runner: the runner exited by itself, before its last events were pulled.
        var reason = ShimReasons.of(info, JobTerminationReason.EXECUTOR_ERROR);
        var message = ShimReasons.message(info);
        return new JobExit(
            reason,
            message != null ? message : "the runner exited before it handed over how the job ended",
            null);
      } catch (AgentUnavailableException e) {
        return null;
      }
    }

    private long append(JobLog log, List<LogEvent> events, long lines) {
      if (events.isEmpty()) {
        return lines;
      }
      try {
        return store.append(log, events);
      } catch (UncheckedIOException e) {
        throw storeFailed(e);
      }
    }

    private long count(JobLog log) {
      try {
        return store.count(log);
      } catch (UncheckedIOException e) {
        throw storeFailed(e);
      }
    }

    private ApplicationFailure storeFailed(UncheckedIOException e) {
      // Retried: the follow resumes from its last heartbeat once the store works again.
      return ApplicationFailure.newFailure(
          "cannot store the logs of " + job + ": " + e.getMessage(), "LogStoreUnavailable");
    }
  }

  private static long bytes(PullResponse pulled) {
    long bytes = 0;
    for (LogEvent event : pulled.jobLogs()) {
      bytes += event.message() == null ? 0 : event.message().length;
    }
    for (LogEvent event : pulled.runnerLogs()) {
      bytes += event.message() == null ? 0 : event.message().length;
    }
    return bytes;
  }
}
