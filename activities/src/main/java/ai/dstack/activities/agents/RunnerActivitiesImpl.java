package ai.dstack.activities.agents;

import ai.dstack.core.agents.shim.TaskInfoResponse;
import ai.dstack.core.agents.shim.TaskStatus;
import ai.dstack.core.runs.JobSubmissionRef;
import ai.dstack.workflows.agents.AwaitRunner;
import ai.dstack.workflows.agents.CodeUploaded;
import ai.dstack.workflows.agents.JobStarted;
import ai.dstack.workflows.agents.JobSubmitted;
import ai.dstack.workflows.agents.RunnerActivities;
import ai.dstack.workflows.agents.RunnerReady;
import ai.dstack.workflows.agents.RunnerTarget;
import ai.dstack.workflows.agents.StartJob;
import ai.dstack.workflows.agents.StopJob;
import ai.dstack.workflows.agents.StopRequested;
import ai.dstack.workflows.agents.SubmitJob;
import ai.dstack.workflows.agents.UploadCode;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RunnerActivities} over the runner's HTTP API (dstack's runner API), in the order dstack's
 * server calls it: health check, submit, file archives and code, run; stop at any time.
 */
public class RunnerActivitiesImpl implements RunnerActivities {
  private static final Logger log = LoggerFactory.getLogger(RunnerActivitiesImpl.class);

  /** While the runner does not answer, how often its task is looked at on the shim. */
  private static final Duration TASK_CHECK_INTERVAL = Duration.ofSeconds(2);

  private final JobPayloads payloads;
  private final AgentTimings timings;
  private final HttpClient client;

  /** With {@link AgentTimings#DEFAULTS}. */
  public RunnerActivitiesImpl(JobPayloads payloads) {
    this(payloads, AgentTimings.DEFAULTS);
  }

  /** With these timings (tests shorten the poll interval and the unreachable limit). */
  public RunnerActivitiesImpl(JobPayloads payloads, AgentTimings timings) {
    this.payloads = payloads;
    this.timings = timings;
    this.client = AgentHttp.newClient(timings.connectTimeout());
  }

  @Override
  public RunnerReady awaitRunner(AwaitRunner request) {
    var target = request.target();
    var runner = new RunnerClient(client, target, timings);
    var shim = new ShimClient(client, target.task(), timings);
    long nextTaskCheck = System.nanoTime() + TASK_CHECK_INTERVAL.toNanos();
    var pacing = new Polls.Pacing(timings.pollInterval());
    while (true) {
      try {
        var health = runner.healthcheck();
        return new RunnerReady(health.version());
      } catch (AgentUnavailableException e) {
        if (System.nanoTime() - nextTaskCheck >= 0) {
          nextTaskCheck = System.nanoTime() + TASK_CHECK_INTERVAL.toNanos();
          var ended = endedTask(shim, target);
          if (ended.isPresent()) {
            throw AgentFailures.refused(
                "the job's task ended before its runner answered: " + describeEnd(ended.get()));
          }
        }
        Polls.heartbeat("waiting for " + runner.http().agent() + ": " + e.getMessage());
        Polls.pause(pacing.next());
      }
    }
  }

  @Override
  public JobSubmitted submitJob(SubmitJob request) {
    var target = request.target();
    var job = target.task().job();
    var runner = new RunnerClient(client, target, timings);
    try {
      boolean submitted =
          runner.submit(read("the job spec of " + job.describe(), () -> payloads.submitBody(job)));
      log.info(
          "{}: {} {}",
          job.describe(),
          submitted ? "submitted to" : "was run already by",
          runner.http().agent());
      // The runner resolves the working dir only when it runs the job.
      return new JobSubmitted(null);
    } catch (AgentUnavailableException e) {
      throw AgentFailures.unavailable(e);
    }
  }

  @Override
  public CodeUploaded uploadCode(UploadCode request) {
    var target = request.target();
    var job = target.task().job();
    var runner = new RunnerClient(client, target, timings);
    var archives = read("the file archives of " + job.describe(), () -> payloads.fileArchives(job));
    var code = read("the code of " + job.describe(), () -> payloads.code(job));
    long bytes = 0;
    try {
      for (var archive : archives) {
        if (!runner.uploadArchive(archive)) {
          return ranAlready(job, runner);
        }
        bytes += archive.payload().size();
      }
      if (code.isPresent()) {
        if (!runner.uploadCode(code.get())) {
          return ranAlready(job, runner);
        }
        bytes += code.get().size();
      }
    } catch (AgentUnavailableException e) {
      throw AgentFailures.unavailable(e);
    }
    log.info(
        "{}: uploaded {} bytes of code and {} file archives",
        job.describe(),
        bytes,
        archives.size());
    return new CodeUploaded(bytes, archives.size());
  }

  /** What an upload the runner no longer takes (it has run the job: see submit) reports. */
  private static CodeUploaded ranAlready(JobSubmissionRef job, RunnerClient runner) {
    log.info("{}: was run already by {}; nothing to upload", job.describe(), runner.http().agent());
    return new CodeUploaded(0, 0);
  }

  @Override
  public JobStarted startJob(StartJob request) {
    var target = request.target();
    var runner = new RunnerClient(client, target, timings);
    try {
      boolean started = runner.run();
      log.info(
          "{}: {}", target.task().job().describe(), started ? "started" : "was started already");
      return new JobStarted(!started);
    } catch (AgentUnavailableException e) {
      throw AgentFailures.unavailable(e);
    }
  }

  @Override
  public StopRequested stopJob(StopJob request) {
    var target = request.target();
    var runner = new RunnerClient(client, target, timings);
    try {
      runner.stop();
      log.info(
          "{}: asked to stop ({})",
          target.task().job().describe(),
          request.reason() == null ? "no reason" : request.reason().value());
      return new StopRequested(false);
    } catch (AgentUnavailableException e) {
      // A runner that is gone has ended its job, if its task says so.
      if (endedTask(new ShimClient(client, target.task(), timings), target).isPresent()) {
        return new StopRequested(true);
      }
      throw AgentFailures.unavailable(e);
    }
  }

  /** The job's task when the shim says it is over (or does not know it); empty otherwise. */
  private static Optional<TaskInfoResponse> endedTask(ShimClient shim, RunnerTarget target) {
    try {
      var task = shim.task(target.task().taskId());
      if (task.isEmpty()) {
        return Optional.of(
            new TaskInfoResponse(
                target.task().taskId(),
                TaskStatus.TERMINATED,
                "",
                "the shim does not know the task",
                null,
                null,
                null,
                null,
                null));
      }
      return task.filter(t -> t.status() == TaskStatus.TERMINATED);
    } catch (AgentUnavailableException e) {
      return Optional.empty();
    }
  }

  private static String describeEnd(TaskInfoResponse task) {
    String reason = task.terminationReason().isEmpty() ? "terminated" : task.terminationReason();
    return task.terminationMessage().isBlank() ? reason : reason + ": " + task.terminationMessage();
  }

  private static <T> T read(String what, Supplier<T> reader) {
    try {
      return reader.get();
    } catch (RuntimeException e) {
      throw AgentFailures.payload(what, e);
    }
  }
}
