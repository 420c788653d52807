package ai.dstack.shim.tasks;

import ai.dstack.core.agents.shim.InstanceMountPoint;
import ai.dstack.core.agents.shim.ShimVolumeInfo;
import ai.dstack.core.agents.shim.TaskInfoResponse;
import ai.dstack.core.agents.shim.TaskListResponse;
import ai.dstack.core.agents.shim.TaskStatus;
import ai.dstack.core.agents.shim.TaskSubmitRequest;
import ai.dstack.core.agents.shim.TaskTerminateRequest;
import ai.dstack.core.agents.shim.TerminationReasons;
import ai.dstack.core.json.Json;
import ai.dstack.shim.tasks.TaskRejectedException.Kind;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The tasks of this shim: submit, follow, terminate and remove them. Each task runs its steps on
 * its own virtual thread; terminate and remove come from requests and never overtake a start.
 */
public final class Tasks {
  private static final System.Logger LOG = System.getLogger(Tasks.class.getName());

  /** How long remove waits for a terminated task's thread to let go of its workload. */
  private static final Duration REMOVE_WAIT = Duration.ofSeconds(30);

  private static final int LOG_LINES_IN_MESSAGE = 5;

  /** The task's {@link TaskRecord} in its directory, by which a later shim takes it over. */
  public static final String RECORD_FILE = "task.json";

  private final TaskEngine engine;
  private final GpuLock gpus;
  private final Path runnersDir;
  private final int defaultRunnerPort;
  private final Map<String, Task> tasks = new LinkedHashMap<>();

  /** Set when the shim shuts down with its tasks: no task is taken after it. Guarded by tasks. */
  private boolean closed;

  /**
   * @param runnersDir where task directories go ({@code <home>/runners})
   * @param defaultRunnerPort the runner's port for tasks that name none
   */
  public Tasks(TaskEngine engine, GpuLock gpus, Path runnersDir, int defaultRunnerPort) {
    this.engine = engine;
    this.gpus = gpus;
    this.runnersDir = runnersDir;
    this.defaultRunnerPort = defaultRunnerPort;
  }

  public String mode() {
    return engine.mode();
  }

  /**
   * Takes over the tasks an earlier shim with this home left running, where the engine finds their
   * workload still running (a runner process, a container); removes the rest of what it left:
   * containers or processes and files. Then gets the engine ready for the first task.
   */
  public void cleanUpLeftovers() {
    var adopted = new ArrayList<Task>();
    List<Path> dirs = taskDirs();
    for (Path dir : dirs) {
      readRecord(dir).flatMap(record -> adopt(record, dir)).ifPresent(adopted::add);
    }
    engine.cleanUpLeftovers();
    var kept = adopted.stream().map(Task::dir).toList();
    for (Path dir : dirs) {
      if (!kept.contains(dir)) {
        deleteTree(dir);
      }
    }
    engine.ready();
    for (Task task : adopted) {
      Thread.ofVirtual().name("task-" + task.id()).start(() -> run(task, true));
    }
  }

  private List<Path> taskDirs() {
    if (!Files.isDirectory(runnersDir)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(runnersDir)) {
      return dirs.toList();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot list " + runnersDir + ": " + e.getMessage());
      return List.of();
    }
  }

  /** What a task's directory keeps for a later shim: the request and what the shim gave it. */
  record TaskRecord(TaskSubmitRequest request, int runnerPort, List<String> gpuIds) {}

  private static Optional<TaskRecord> readRecord(Path dir) {
    Path file = dir.resolve(RECORD_FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.MAPPER.readValue(file.toFile(), TaskRecord.class));
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "cannot read " + file + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  /** The task of {@code record}, running again under this shim if the engine took it over. */
  private Optional<Task> adopt(TaskRecord record, Path dir) {
    Task task = new Task(record.request(), runnersDir, record.runnerPort());
    if (!task.dir().equals(dir)) {
      return Optional.empty();
    }
    task.advance(TaskStatus.RUNNING);
    if (!engine.adopt(task)) {
      return Optional.empty();
    }
    task.gpuIds(gpus.claim(record.gpuIds()));
    synchronized (tasks) {
      tasks.put(task.id(), task);
    }
    LOG.log(Level.INFO, "task {0} taken over, running: {1}", task.id(), task.info().containerId());
    return Optional.of(task);
  }

  /** Accepts the task and starts it on its own thread; the answer shows it pending. */
  public TaskInfoResponse submit(TaskSubmitRequest request) {
    validate(request);
    int port = request.runnerPort() == 0 ? defaultRunnerPort : request.runnerPort();
    Task task = new Task(request, runnersDir, port);
    synchronized (tasks) {
      if (closed) {
        throw new TaskRejectedException(
            Kind.CONFLICT, "the shim is shutting down: it takes no new task");
      }
      if (tasks.containsKey(request.id())) {
        throw new TaskRejectedException(
            Kind.CONFLICT, "task " + request.id() + " is already submitted");
      }
      tasks.put(request.id(), task);
    }
    LOG.log(Level.INFO, "task {0} submitted: {1}", request.id(), request);
    TaskInfoResponse submitted = task.info(); // pending, before its thread moves it on
    Thread.ofVirtual().name("task-" + request.id()).start(() -> run(task, false));
    return submitted;
  }

  public TaskInfoResponse info(String id) {
    return get(id).info();
  }

  public List<TaskListResponse.Item> list() {
    List<Task> all;
    synchronized (tasks) {
      all = new ArrayList<>(tasks.values());
    }
    return all.stream().map(t -> new TaskListResponse.Item(t.id(), t.status())).toList();
  }

  /**
   * Terminates the task: cancels its pull or stops its workload (SIGTERM, SIGKILL after the
   * timeout), and returns once it is stopped. A terminated task keeps its first reason.
   */
  public TaskInfoResponse terminate(String id, TaskTerminateRequest request) {
    Task task = get(id);
    if (request.timeout() < 0) {
      throw new TaskRejectedException(
          Kind.INVALID, "timeout must be >= 0, got " + request.timeout());
    }
    String reason =
        request.terminationReason().isEmpty()
            ? TerminationReasons.TERMINATED_BY_SERVER
            : request.terminationReason();
    task.lifecycle.lock();
    try {
      TaskStatus before = task.status();
      Runnable cancelPull = task.terminate(reason, request.terminationMessage());
      if (cancelPull != null) {
        cancelPull.run();
      }
      if (before == TaskStatus.RUNNING) {
        engine.stop(task, Duration.ofSeconds(request.timeout()));
      }
      LOG.log(Level.INFO, "task {0} terminated ({1}) in status {2}", id, reason, before.wireName());
    } finally {
      task.lifecycle.unlock();
    }
    return task.info();
  }

  /** Takes no new task from now on: a shim that stops with its tasks refuses them first. */
  public void close() {
    synchronized (tasks) {
      closed = true;
    }
  }

  /**
   * Takes no new task from now on ({@link #close}) and terminates every task that has not
   * terminated, all at once (SIGTERM, the kill after {@code timeoutSeconds}); returns how many,
   * once they are stopped.
   */
  public int closeAndTerminateAll(String reason, String message, int timeoutSeconds)
      throws InterruptedException {
    List<Task> all;
    synchronized (tasks) {
      closed = true;
      all = new ArrayList<>(tasks.values());
    }
    var stops = new ArrayList<Thread>();
    for (Task task : all) {
      if (task.status() != TaskStatus.TERMINATED) {
        var request = new TaskTerminateRequest(reason, message, timeoutSeconds);
        stops.add(Thread.ofVirtual().start(() -> terminate(task.id(), request)));
      }
    }
    for (Thread stop : stops) {
      stop.join();
    }
    return stops.size();
  }

  /** Removes a terminated task: its workload, its directory and the task itself. */
  public void remove(String id) {
    Task task = get(id);
    if (task.status() != TaskStatus.TERMINATED) {
      throw new TaskRejectedException(
          Kind.CONFLICT,
          "task %s is %s; terminate it before removing it".formatted(id, task.status().wireName()));
    }
    try {
      if (!task.awaitFinished(REMOVE_WAIT.toMillis())) {
        throw new TaskRejectedException(
            Kind.CONFLICT, "task " + id + " is still letting go of its workload; try again");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskRejectedException(Kind.CONFLICT, "interrupted while removing task " + id);
    }
    task.lifecycle.lock();
    try {
      engine.remove(task);
      deleteTree(task.dir());
      synchronized (tasks) {
        tasks.remove(id);
      }
    } finally {
      task.lifecycle.unlock();
    }
    LOG.log(Level.INFO, "task {0} removed", id);
  }

  /** Every task id, for shutdown and tests. */
  public List<String> ids() {
    synchronized (tasks) {
      return List.copyOf(tasks.keySet());
    }
  }

  private Task get(String id) {
    synchronized (tasks) {
      Task task = tasks.get(id);
      if (task == null) {
        throw new TaskRejectedException(Kind.NOT_FOUND, "no task " + id);
      }
      return task;
    }
  }

  private static void validate(TaskSubmitRequest request) {
    if (request.id().isEmpty()) {
      throw new TaskRejectedException(Kind.INVALID, "empty id");
    }
    if (!request.id().matches("[A-Za-z0-9_.-]+")) {
      throw new TaskRejectedException(
          Kind.INVALID, "id may only hold letters, digits, '_', '.' and '-': " + request.id());
    }
    if (request.name().isEmpty()) {
      throw new TaskRejectedException(Kind.INVALID, "empty name");
    }
    if (request.imageName().isEmpty()) {
      throw new TaskRejectedException(Kind.INVALID, "empty image_name");
    }
    if (request.gpu() < TaskSubmitRequest.ALL_GPUS) {
      throw new TaskRejectedException(
          Kind.INVALID, "gpu must be -1 (all), 0 or a count, got " + request.gpu());
    }
    if (request.cpu() < 0 || request.memory() < 0 || request.shmSize() < 0) {
      throw new TaskRejectedException(Kind.INVALID, "cpu, memory and shm_size must be >= 0");
    }
    if (request.runnerPort() < 0 || request.runnerPort() > 65535) {
      throw new TaskRejectedException(
          Kind.INVALID, "runner_port must be 0 (default) or a port, got " + request.runnerPort());
    }
  }

  /**
   * The task's steps, on its own thread; a task taken over from an earlier shim ({@code adopted})
   * runs already, so only the wait for its end is left.
   */
  private void run(Task task, boolean adopted) {
    try {
      if (!adopted && !prepareAndStart(task)) {
        return;
      }
      int exit = engine.await(task);
      if (exit == 0) {
        task.terminate(TerminationReasons.DONE_BY_RUNNER, "");
      } else {
        task.terminate(TerminationReasons.CONTAINER_EXITED_WITH_ERROR, exitMessage(task, exit));
      }
    } catch (TaskFailure failure) {
      LOG.log(Level.WARNING, "task {0} failed: {1}", task.id(), failure.getMessage());
      task.terminate(failure.reason(), failure.getMessage());
    } catch (InterruptedException e) {
      task.terminate(TerminationReasons.EXECUTOR_ERROR, "the shim was interrupted");
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "task " + task.id() + " failed unexpectedly", e);
      task.terminate(TerminationReasons.EXECUTOR_ERROR, "unexpected shim error: " + e);
    } finally {
      gpus.release(task.gpuIds());
      task.finished();
      LOG.log(Level.INFO, "task {0}: {1}", task.id(), task.info().terminationReason());
    }
  }

  /** Prepares, pulls, creates and starts the workload; false when the task was terminated. */
  private boolean prepareAndStart(Task task) throws TaskFailure, InterruptedException {
    if (!task.advance(TaskStatus.PREPARING)) {
      return false;
    }
    prepare(task);
    if (!task.advance(TaskStatus.PULLING)) {
      return false;
    }
    engine.pull(task);
    if (!task.advance(TaskStatus.CREATING)) {
      return false;
    }
    engine.create(task);
    if (!start(task)) {
      return false;
    }
    keepRecord(task);
    return true;
  }

  /** Starts the workload unless the task was terminated meanwhile. */
  private boolean start(Task task) throws TaskFailure {
    task.lifecycle.lock();
    try {
      if (!task.advance(TaskStatus.RUNNING)) {
        return false;
      }
      engine.start(task);
      return true;
    } finally {
      task.lifecycle.unlock();
    }
  }

  private void prepare(Task task) throws TaskFailure {
    try {
      Files.createDirectories(task.dir());
    } catch (IOException e) {
      throw new TaskFailure(
          TerminationReasons.EXECUTOR_ERROR, "cannot create " + task.dir() + ": " + e, e);
    }
    List<ShimVolumeInfo> volumes = task.config().volumes();
    if (!volumes.isEmpty()) {
      throw new TaskFailure(
          TerminationReasons.EXECUTOR_ERROR,
          "network volumes are not supported by this shim yet: "
              + volumes.stream().map(v -> v.backend() + ":" + v.name()).toList());
    }
    task.gpuIds(gpus.acquire(task.config().gpu()));
    for (InstanceMountPoint mount : task.config().instanceMounts()) {
      createInstanceDir(Path.of(mount.instancePath()));
    }
  }

  /**
   * Writes the task's record once its workload runs (the directory stays empty until then: a runner
   * started ahead takes its place).
   */
  private static void keepRecord(Task task) {
    try {
      Files.writeString(
          task.dir().resolve(RECORD_FILE),
          Json.write(new TaskRecord(task.config(), task.runnerPort(), task.gpuIds())));
    } catch (IOException e) {
      LOG.log(Level.WARNING, "task {0}: a later shim cannot take it over: {1}", task.id(), e);
    }
  }

  /** A missing host directory is made world-writable, so any job user can write to it. */
  private static void createInstanceDir(Path path) throws TaskFailure {
    if (!path.isAbsolute()) {
      throw new TaskFailure(
          TerminationReasons.EXECUTOR_ERROR, "instance_path must be absolute: " + path);
    }
    if (Files.exists(path)) {
      return;
    }
    try {
      Files.createDirectories(path);
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxrwxrwx"));
    } catch (IOException | UnsupportedOperationException e) {
      throw new TaskFailure(
          TerminationReasons.EXECUTOR_ERROR, "cannot create instance mount " + path + ": " + e, e);
    }
  }

  private String exitMessage(Task task, int exit) {
    List<String> lines = engine.lastLogLines(task, LOG_LINES_IN_MESSAGE);
    String message = "the runner exited with status " + exit;
    return lines.isEmpty() ? message : message + "; last output:\n" + String.join("\n", lines);
  }

  /** Deletes {@code root} and everything under it; what cannot be deleted is logged. */
  public static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot delete " + root + ": " + e.getMessage());
    }
  }
}
