package ai.dstack.workflows;

import ai.dstack.core.runs.JobTerminationReason;
import ai.dstack.workflows.agents.AwaitRunner;
import ai.dstack.workflows.agents.AwaitTask;
import ai.dstack.workflows.agents.CodeUploaded;
import ai.dstack.workflows.agents.FollowCursor;
import ai.dstack.workflows.agents.FollowJob;
import ai.dstack.workflows.agents.JobExit;
import ai.dstack.workflows.agents.JobStarted;
import ai.dstack.workflows.agents.JobSubmitted;
import ai.dstack.workflows.agents.KillTask;
import ai.dstack.workflows.agents.LogActivities;
import ai.dstack.workflows.agents.RemoveTask;
import ai.dstack.workflows.agents.RunnerActivities;
import ai.dstack.workflows.agents.RunnerReady;
import ai.dstack.workflows.agents.ShimActivities;
import ai.dstack.workflows.agents.StartJob;
import ai.dstack.workflows.agents.StartTask;
import ai.dstack.workflows.agents.StopJob;
import ai.dstack.workflows.agents.StopRequested;
import ai.dstack.workflows.agents.SubmitJob;
import ai.dstack.workflows.agents.TaskKilled;
import ai.dstack.workflows.agents.TaskReady;
import ai.dstack.workflows.agents.TaskRemoved;
import ai.dstack.workflows.agents.TaskStarted;
import ai.dstack.workflows.agents.TaskTarget;
import ai.dstack.workflows.agents.UploadCode;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shim, the runner and the log follower of a pretend instance, scripted per run name: what each
 * submission exits with, whether it runs until stopped, which instances refuse tasks. Records every
 * call, the tasks it holds, and the log lines it stored, so tests can check order and leaks.
 */
final class FakeAgents implements ShimActivities, RunnerActivities, LogActivities {

  /** How a run's jobs behave. */
  static final class Script {
    /** Exit status per submission; the last one repeats. */
    List<Integer> exitStatuses = List.of(0);

    /** Runs until stopped or killed instead of exiting. */
    boolean runUntilStopped;

    /** The nodes (job numbers) that run until stopped while the others exit. */
    Set<Integer> nodesRunningUntilStopped = Set.of();

    /** Keeps running through a graceful stop: only a kill ends it. */
    boolean ignoresGracefulStop;

    /** Instances whose shim refuses the task. */
    Set<String> refusingInstances = Set.of();

    /** A refusing shim creates the task before failing (an ambiguous failure). */
    boolean refusesAfterCreating;

    /** The runner never answers. */
    boolean runnerNeverReady;

    /** The start sees the task running and its runner answering (a runner started ahead). */
    boolean readyAtStart;

    /** How many first submissions find no offers. */
    int noCapacitySubmissions;

    /** The first follow attempt stores this many lines, then its worker "crashes". */
    int followCrashesAfterLines = -1;

    /** Log lines each job prints. */
    int logLines = 3;
  }

  /** A task on the pretend shim. */
  static final class Task {
    final TaskTarget target;
    volatile boolean killed;
    volatile boolean removed;
    volatile boolean gracefulStop;

    Task(TaskTarget target) {
      this.target = target;
    }
  }

  final Map<String, Script> scripts = new ConcurrentHashMap<>();
  final Map<String, Task> tasks = new ConcurrentHashMap<>();
  final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  final Map<String, List<String>> storedLines = new ConcurrentHashMap<>();
  private final Set<String> active = new LinkedHashSet<>();
  private int mostActive;

  Script script(String runName) {
    return scripts.computeIfAbsent(runName, n -> new Script());
  }

  synchronized int mostActiveAtOnce() {
    return mostActive;
  }

  List<String> callsOf(String runName) {
    synchronized (calls) {
      return calls.stream().filter(c -> c.contains(" " + runName + "/")).toList();
    }
  }

  /** Tasks created and never removed. */
  List<String> leakedTasks() {
    return tasks.values().stream()
        .filter(t -> !t.removed)
        .map(t -> t.target.taskId() + " of " + t.target.job().describe())
        .toList();
  }

  private void call(String what, TaskTarget target) {
    calls.add(what + " " + target.job().describe() + " on " + target.instance().instanceId());
  }

  private Script script(TaskTarget target) {
    return script(target.job().runName());
  }

  @Override
  public TaskStarted startTask(StartTask request) {
    var target = request.target();
    call("startTask", target);
    var script = script(target);
    if (script.refusingInstances.contains(target.instance().instanceId())) {
      if (script.refusesAfterCreating) {
        tasks.putIfAbsent(target.taskId(), new Task(target));
      }
      throw ApplicationFailure.newNonRetryableFailure(
          "shim on " + target.instance().instanceName() + " refused the task", "ShimRefused");
    }
    boolean created = tasks.putIfAbsent(target.taskId(), new Task(target)) == null;
    if (script.readyAtStart) {
      return new TaskStarted(
          target.taskId(), created, new TaskReady(true, 10999, null, null), new RunnerReady("1"));
    }
    return new TaskStarted(target.taskId(), created);
  }

  @Override
  public TaskReady awaitTask(AwaitTask request) {
    call("awaitTask", request.target());
    return new TaskReady(true, 10999, null, null);
  }

  @Override
  public TaskKilled killTask(KillTask request) {
    call("killTask", request.target());
    var task = tasks.get(request.target().taskId());
    if (task == null) {
      return new TaskKilled(false);
    }
    task.killed = true;
    return new TaskKilled(true);
  }

  @Override
  public TaskRemoved removeTask(RemoveTask request) {
    call("removeTask", request.target());
    var task = tasks.get(request.target().taskId());
    if (task == null) {
      return new TaskRemoved(false);
    }
    task.removed = true;
    ended(request.target().taskId());
    return new TaskRemoved(true);
  }

  @Override
  public RunnerReady awaitRunner(AwaitRunner request) {
    call("awaitRunner", request.target().task());
    if (script(request.target().task()).runnerNeverReady) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the runner did not answer", "RunnerUnreachable");
    }
    return new RunnerReady("test");
  }

  @Override
  public JobSubmitted submitJob(SubmitJob request) {
    call("submitJob", request.target().task());
    return new JobSubmitted("/workflow");
  }

  @Override
  public CodeUploaded uploadCode(UploadCode request) {
    call("uploadCode", request.target().task());
    return new CodeUploaded(0, 0);
  }

  @Override
  public JobStarted startJob(StartJob request) {
    call("startJob", request.target().task());
    synchronized (this) {
      active.add(request.target().task().taskId());
      mostActive = Math.max(mostActive, active.size());
    }
    return new JobStarted(false);
  }

  @Override
  public StopRequested stopJob(StopJob request) {
    call("stopJob", request.target().task());
    var task = tasks.get(request.target().task().taskId());
    if (task != null) {
      task.gracefulStop = true;
    }
    return new StopRequested(task == null);
  }

  @Override
  public JobExit follow(FollowJob request) {
    var target = request.target().task();
    var context = Activity.getExecutionContext();
    var cursor = context.getHeartbeatDetails(FollowCursor.class).orElse(FollowCursor.START);
    call("follow#" + context.getInfo().getAttempt(), target);
    var script = script(target);
    var lines = storedLines.computeIfAbsent(target.taskId(), id -> new ArrayList<>());
    for (long line = cursor.jobLogLines(); line < script.logLines; line++) {
      if (context.getInfo().getAttempt() == 1 && line == script.followCrashesAfterLines) {
        throw new IllegalStateException("worker lost after " + line + " lines");
      }
      lines.add("line " + line);
      cursor = new FollowCursor(line + 1, line + 1, 0);
      context.heartbeat(cursor);
    }
    var task = tasks.get(target.taskId());
    if (script.runUntilStopped || script.nodesRunningUntilStopped.contains(target.job().jobNum())) {
      while (!task.killed && !task.removed && !(task.gracefulStop && !script.ignoresGracefulStop)) {
        context.heartbeat(cursor);
        sleep();
      }
      ended(target.taskId());
      return task.gracefulStop && !task.killed
          ? new JobExit(JobTerminationReason.TERMINATED_BY_USER, null, 143)
          : new JobExit(JobTerminationReason.TERMINATED_BY_SERVER, "killed", 137);
    }
    ended(target.taskId());
    int submission = target.job().submissionNum();
    var statuses = script.exitStatuses;
    int exit = statuses.get(Math.min(submission, statuses.size() - 1));
    return exit == 0
        ? new JobExit(JobTerminationReason.DONE_BY_RUNNER, null, 0)
        : new JobExit(
            JobTerminationReason.CONTAINER_EXITED_WITH_ERROR, "exited with " + exit, exit);
  }

  private synchronized void ended(String taskId) {
    active.remove(taskId);
  }

  private static void sleep() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
