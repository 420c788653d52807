package ai.dstack.activities.agents;

import ai.dstack.core.agents.shim.TaskInfoResponse;
import ai.dstack.core.agents.shim.TaskStatus;
import ai.dstack.core.agents.shim.TaskSubmitRequest;
import ai.dstack.core.agents.shim.TerminationReasons;
import ai.dstack.core.runs.JobTerminationReason;
import ai.dstack.workflows.agents.AwaitTask;
import ai.dstack.workflows.agents.KillTask;
import ai.dstack.workflows.agents.RemoveTask;
import ai.dstack.workflows.agents.RunnerReady;
import ai.dstack.workflows.agents.RunnerTarget;
import ai.dstack.workflows.agents.ShimActivities;
import ai.dstack.workflows.agents.StartTask;
import ai.dstack.workflows.agents.TaskKilled;
import ai.dstack.workflows.agents.TaskReady;
import ai.dstack.workflows.agents.TaskRemoved;
import ai.dstack.workflows.agents.TaskStarted;
import ai.dstack.workflows.agents.TaskTarget;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ShimActivities} over the shim's HTTP API (dstack's shim API v2).
 *
 * <p>Every call is idempotent by task id: a submission the shim has already is {@code created:
 * false}; killing or removing a task the shim does not know is a no-op that says so.
 */
public class ShimActivitiesImpl implements ShimActivities {
  private static final Logger log = LoggerFactory.getLogger(ShimActivitiesImpl.class);

  private final JobPayloads payloads;
  private final AgentTimings timings;
  private final ShimAddresses addresses;
  private final HttpClient client;

  /** With {@link AgentTimings#DEFAULTS}, shims where the tasks were placed. */
  public ShimActivitiesImpl(JobPayloads payloads) {
    this(payloads, AgentTimings.DEFAULTS, ShimAddresses.AS_PLACED);
  }

  /** With these timings (tests shorten the poll interval and the unreachable limit). */
  public ShimActivitiesImpl(JobPayloads payloads, AgentTimings timings) {
    this(payloads, timings, ShimAddresses.AS_PLACED);
  }

  /**
   * With these timings; kills and removals go to where {@code addresses} says the task's shim
   * listens now.
   */
  public ShimActivitiesImpl(JobPayloads payloads, AgentTimings timings, ShimAddresses addresses) {
    this.payloads = payloads;
    this.timings = timings;
    this.addresses = addresses;
    this.client = AgentHttp.newClient(timings.connectTimeout());
  }

  @Override
  public TaskStarted startTask(StartTask request) {
    var target = request.target();
    TaskSubmitRequest body;
    try {
      body = payloads.taskRequest(target, request.offer());
    } catch (RuntimeException e) {
      throw AgentFailures.payload("the task of " + target.job().describe(), e);
    }
    if (!target.taskId().equals(body.id())) {
      throw AgentFailures.refused(
          "the task request's id " + body.id() + " is not the task id " + target.taskId());
    }
    var shim = new ShimClient(client, target, timings);
    try {
      boolean created = shim.submit(body);
      log.info(
          "{}: task {} {} on {}",
          target.job().describe(),
          target.taskId(),
          created ? "submitted" : "was submitted already",
          shim.http().agent());
      return quickLook(shim, target, created);
    } catch (AgentUnavailableException e) {
      throw AgentFailures.unavailable(e);
    }
  }

  /**
   * How long a start looks at its task before it returns: a task whose runner was started ahead
   * (process mode) or whose image is at hand runs and answers within it, and the workflow then
   * skips its waits (each a round trip through Temporal).
   */
  static final Duration QUICK_LOOK = Duration.ofMillis(300);

  private static final Duration QUICK_LOOK_PAUSE = Duration.ofMillis(10);

  /** The task and its runner as they stand within {@link #QUICK_LOOK}; nothing if not ready. */
  private TaskStarted quickLook(ShimClient shim, TaskTarget target, boolean created) {
    long deadline = System.nanoTime() + QUICK_LOOK.toNanos();
    var pacing = new Polls.Pacing(QUICK_LOOK_PAUSE);
    try {
      TaskReady ready = null;
      while (ready == null) {
        var task = shim.task(target.taskId());
        if (task.isPresent()) {
          ready = readiness(target, task.get());
        }
        if (ready == null) {
          if (System.nanoTime() - deadline > 0) {
            return new TaskStarted(target.taskId(), created);
          }
          Polls.pause(pacing.next());
        }
      }
      if (!ready.running()) {
        return new TaskStarted(target.taskId(), created, ready, null);
      }
      var runner = new RunnerClient(client, new RunnerTarget(target, ready.runnerPort()), timings);
      while (true) {
        try {
          var health = runner.healthcheck();
          return new TaskStarted(
              target.taskId(), created, ready, new RunnerReady(health.version()));
        } catch (AgentUnavailableException e) {
          if (System.nanoTime() - deadline > 0) {
            return new TaskStarted(target.taskId(), created, ready, null);
          }
          Polls.pause(pacing.next());
        }
      }
    } catch (AgentUnavailableException | RuntimeException e) {
      // only a look: the waits that follow see to it
      log.debug("{}: no quick look at task {}: {}", target.job().describe(), target.taskId(), e);
      return new TaskStarted(target.taskId(), created);
    }
  }

  @Override
  public TaskReady awaitTask(AwaitTask request) {
    var target = request.target();
    var shim = new ShimClient(client, target, timings);
    var silence = new Polls.Silence(timings.unreachableLimit());
    var pacing = new Polls.Pacing(timings.pollInterval());
    String lastError = null;
    while (true) {
      Optional<TaskInfoResponse> task;
      try {
        task = shim.task(target.taskId());
        silence.heard();
      } catch (AgentUnavailableException e) {
        if (!e.getMessage().equals(lastError)) {
          log.warn("{}: {}", target.job().describe(), e.getMessage());
          lastError = e.getMessage();
        }
        if (silence.lastedTooLong()) {
          return new TaskReady(
              false, 0, ShimReasons.unreachable(target), ShimReasons.UNREACHABLE_MESSAGE);
        }
        Polls.heartbeat("shim unreachable: " + e.getMessage());
        Polls.pause(timings.pollInterval());
        continue;
      }
      if (task.isEmpty()) {
        return new TaskReady(
            false,
            0,
            JobTerminationReason.CREATING_CONTAINER_ERROR,
            shim.http().agent()
                + " does not know task "
                + target.taskId()
                + " (was the shim restarted?)");
      }
      var info = task.get();
      var ready = readiness(target, info);
      if (ready != null) {
        return ready;
      }
      Polls.heartbeat(progress(info));
      Polls.pause(pacing.next());
    }
  }

  /** How the wait for the task ends when it runs or the shim gave up on it; null while pending. */
  private TaskReady readiness(TaskTarget target, TaskInfoResponse info) {
    if (info.status() == TaskStatus.RUNNING) {
      return new TaskReady(true, runnerPort(target), null, null);
    }
    if (info.status() != TaskStatus.TERMINATED) {
      return null;
    }
    var reason = ShimReasons.of(info, JobTerminationReason.CREATING_CONTAINER_ERROR);
    String message = ShimReasons.message(info);
    if (message == null && TerminationReasons.DONE_BY_RUNNER.equals(info.terminationReason())) {
      message = "the runner exited before a job was run";
    }
    log.info(
        "{}: the shim gave up on task {}: {} {}",
        target.job().describe(),
        target.taskId(),
        info.terminationReason(),
        info.terminationMessage());
    return new TaskReady(false, 0, reason, message);
  }

  @Override
  public TaskKilled killTask(KillTask request) {
    var target = atCurrentAddress(request.target());
    var shim = new ShimClient(client, target, timings);
    String reason =
        request.reason() != null
            ? request.reason().value()
            : JobTerminationReason.TERMINATED_BY_SERVER.value();
    try {
      var task = shim.task(target.taskId());
      if (task.isEmpty() || task.get().status() == TaskStatus.TERMINATED) {
        return new TaskKilled(false);
      }
      var killed = shim.terminate(target.taskId(), reason, request.message(), 0);
      log.info("{}: task {} killed ({})", target.job().describe(), target.taskId(), reason);
      return new TaskKilled(killed.isPresent());
    } catch (AgentUnavailableException e) {
      throw AgentFailures.unavailable(e);
    }
  }

  @Override
  public TaskRemoved removeTask(RemoveTask request) {
    var target = atCurrentAddress(request.target());
    var shim = new ShimClient(client, target, timings);
    try {
      var task = shim.task(target.taskId());
      if (task.isEmpty()) {
        return new TaskRemoved(false);
      }
      if (task.get().status() != TaskStatus.TERMINATED) {
        shim.terminate(
            target.taskId(),
            JobTerminationReason.TERMINATED_BY_SERVER.value(),
            request.reason(),
            0);
      }
      shim.remove(target.taskId());
      log.info("{}: task {} removed", target.job().describe(), target.taskId());
      return new TaskRemoved(true);
    } catch (AgentUnavailableException e) {
      throw AgentFailures.unavailable(e);
    }
  }

  /** The task at its shim's address now (a restarted shim may listen on another port). */
  private TaskTarget atCurrentAddress(TaskTarget target) {
    var now = addresses.current(target.instance());
    if (now == null || now.equals(target.instance())) {
      return target;
    }
    log.info(
        "{}: the shim of task {} moved from port {} to {}",
        target.job().describe(),
        target.taskId(),
        target.instance().shimPort(),
        now.shimPort());
    return new TaskTarget(target.job(), now, target.taskId());
  }

  private int runnerPort(TaskTarget target) {
    try {
      return payloads.runnerPort(target);
    } catch (RuntimeException e) {
      throw AgentFailures.payload("the runner port of " + target.job().describe(), e);
    }
  }

  /** What a waiting task is at, for its heartbeat: e.g. {@code pulling: 12.0 of 80.5 MB}. */
  private static String progress(TaskInfoResponse task) {
    var pull = task.imagePullProgress();
    if (task.status() != TaskStatus.PULLING || pull == null) {
      return task.status().wireName();
    }
    return String.format(
        Locale.ROOT,
        "pulling: %.1f of %s%.1f MB",
        pull.downloadedBytes() / 1e6,
        pull.isTotalBytesFinal() ? "" : "at least ",
        pull.totalBytes() / 1e6);
  }
}
