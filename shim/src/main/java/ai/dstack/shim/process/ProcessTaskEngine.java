package ai.dstack.shim.process;

import ai.dstack.core.agents.shim.TerminationReasons;
import ai.dstack.shim.tasks.RunnerLaunch;
import ai.dstack.shim.tasks.Task;
import ai.dstack.shim.tasks.TaskEngine;
import ai.dstack.shim.tasks.TaskFailure;
import ai.dstack.shim.tasks.Tasks;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Tasks as host processes: the runner ({@code java -jar runner.jar --port N}) runs in the task's
 * directory, its output in {@value #LOG_FILE}, its pid in {@value #PID_FILE}. There is no image
 * (the task's image is not used), no isolation and no resource limits: this mode is for hosts
 * without Docker.
 *
 * <p>With a standby runner, from the shim's start and again once a task's runner has exited, the
 * next runner is started ahead, in a directory of its own ({@value #STANDBY_PREFIX}...), where it
 * warms up and waits for its options on standard input ({@code --standby}). The next task takes it:
 * its directory becomes the task's and it is told the task's port and home, so the task does not
 * wait for a JVM to start. It exits by itself when the shim goes (its input ends).
 */
public final class ProcessTaskEngine implements TaskEngine {
  private static final System.Logger LOG = System.getLogger(ProcessTaskEngine.class.getName());

  /** The runner's standard output and error, in the task directory. */
  public static final String LOG_FILE = "runner.log";

  /** The runner's pid, by which a later shim with the same home finds a leftover runner. */
  public static final String PID_FILE = "runner.pid";

  /** The runner's home (its logs, uploads), in the task directory. */
  public static final String RUNNER_HOME = "runner";

  /**
   * A standby runner's niceness while it starts and waits (where the shim can raise it back: as
   * root): its JVM's start gives way to the tasks that run meanwhile, e.g. the one whose runner
   * just exited and the next one being submitted.
   */
  static final int STANDBY_NICENESS = 10;

  /** The start of a standby runner's directory name in the runners directory. */
  static final String STANDBY_PREFIX = ".standby-";

  private static final Duration LEFTOVER_STOP_TIMEOUT = Duration.ofSeconds(5);

  /**
   * How long the first runner this shim stops gets to exit after SIGTERM while the runners'
   * class-data archive is missing, whatever the stop's timeout: its JVM writes the archive as it
   * exits (a SIGKILL leaves none, and the server's removal kills at once), and every later runner
   * starts from it, about half a second sooner. Once per shim, so a runner that cannot write it
   * costs this once at most.
   */
  static final Duration ARCHIVE_WRITE_GRACE = Duration.ofSeconds(5);

  private final RunnerLaunch launch;
  private final Path runnersDir;
  private final boolean ownGroups = ProcessGroup.setsidAvailable();
  private final boolean renice = ProcessGroup.reniceAvailable();
  private final Map<String, ProcessBuilder> created = new ConcurrentHashMap<>();
  private final Map<String, Runner> started = new ConcurrentHashMap<>();
  private final Set<Path> adoptedDirs = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean archiveGraceGiven = new AtomicBoolean();
  private final boolean standbyRunner;
  private final AtomicReference<Standby> standby = new AtomicReference<>();

  /**
   * A task's runner: a child of this shim, or (child null) one an earlier shim started and this one
   * took over, whose exit status it cannot read.
   */
  private record Runner(ProcessHandle handle, Process child) {
    int await() throws InterruptedException {
      if (child != null) {
        return child.waitFor();
      }
      try {
        handle.onExit().get();
      } catch (ExecutionException e) {
        // it exited all the same
      }
      return 0; // the job's own end is what its runner reported to the server
    }
  }

  /** A runner started ahead of its task, in its own directory. */
  private record Standby(Process process, Path dir) {}

  /**
   * @param runnersDir where the task directories are ({@code <home>/runners})
   * @param standbyRunner keep a runner started ahead of the next task
   */
  public ProcessTaskEngine(RunnerLaunch launch, Path runnersDir, boolean standbyRunner) {
    this.launch = launch;
    this.runnersDir = runnersDir;
    this.standbyRunner = standbyRunner;
  }

  @Override
  public String mode() {
    return "process";
  }

  /** Takes over the runner an earlier shim left running in the task's directory, if any. */
  @Override
  public boolean adopt(Task task) {
    Optional<ProcessHandle> runner = leftoverRunner(task.dir());
    if (runner.isEmpty()) {
      return false;
    }
    started.put(task.id(), new Runner(runner.get(), null));
    adoptedDirs.add(task.dir());
    task.containerId("pid:" + runner.get().pid());
    LOG.log(Level.INFO, "task {0}: runner pid {1} taken over", task.id(), runner.get().pid());
    return true;
  }

  /**
   * Stops runners whose pid files are in this home and whose working directory matches, but for
   * those taken over.
   */
  @Override
  public void cleanUpLeftovers() {
    if (!Files.isDirectory(runnersDir)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(runnersDir)) {
      for (Path dir : dirs.filter(d -> !adoptedDirs.contains(d)).toList()) {
        leftoverRunner(dir)
            .ifPresent(
                process -> {
                  LOG.log(Level.INFO, "stopping runner {0} left in {1}", process.pid(), dir);
                  ProcessGroup.stop(process, ownGroups, LEFTOVER_STOP_TIMEOUT);
                });
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot list " + runnersDir + ": " + e.getMessage());
    }
  }

  /** Starts the first task's runner ahead: a server's first run does not wait for a cold JVM. */
  @Override
  public void ready() {
    replenishStandby();
  }

  private static Optional<ProcessHandle> leftoverRunner(Path dir) {
    try {
      long pid = Long.parseLong(Files.readString(dir.resolve(PID_FILE)).strip());
      Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
      // a recycled pid belongs to another process, whose working directory is elsewhere
      Path cwd = Path.of("/proc/" + pid + "/cwd");
      if (process.isPresent() && Files.isSameFile(cwd.toRealPath(), dir.toRealPath())) {
        return process;
      }
    } catch (IOException | NumberFormatException e) {
      // no pid file, or no such process
    }
    return Optional.empty();
  }

  @Override
  public void pull(Task task) {
    // there is no image in process mode
  }

  @Override
  public void create(Task task) throws TaskFailure {
    Path java = Path.of(RunnerLaunch.javaBinary(launch.javaHome().toString()));
    if (!Files.isExecutable(java)) {
      throw new TaskFailure(
          TerminationReasons.CREATING_CONTAINER_ERROR, "no Java runtime at " + java);
    }
    if (!Files.isRegularFile(launch.runnerJar())) {
      throw new TaskFailure(
          TerminationReasons.CREATING_CONTAINER_ERROR, "no runner jar at " + launch.runnerJar());
    }
    created.put(
        task.id(),
        runner(task.dir(), task.runnerPort(), runnerArguments(task).toArray(String[]::new)));
  }

  /**
   * The runner's arguments for the task: each runner its own home (runners on one host would share
   * the default /tmp/runner), and the task's directory as the job's default working dir.
   */
  private static List<String> runnerArguments(Task task) {
    return List.of(
        "--home", task.dir().resolve(RUNNER_HOME).toString(), "--workdir", task.dir().toString());
  }

  /** A runner to start in {@code dir}, its output appended to the {@value #LOG_FILE} there. */
  private ProcessBuilder runner(Path dir, int port, String... arguments) {
    List<String> command = new ArrayList<>();
    if (ownGroups) {
      command.add("setsid"); // the runner leads a new process group, so stop reaches its children
    }
    command.addAll(
        RunnerLaunch.command(
            RunnerLaunch.javaBinary(launch.javaHome().toString()),
            launch.runnerJar().toAbsolutePath().toString(),
            port,
            launch.cacheDir().resolve(RunnerLaunch.ARCHIVE).toString(),
            arguments));
    return new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(LOG_FILE).toFile()));
  }

  @Override
  public void start(Task task) throws TaskFailure {
    ProcessBuilder builder = created.remove(task.id());
    if (builder == null) {
      throw new TaskFailure(TerminationReasons.EXECUTOR_ERROR, "task was not created");
    }
    try {
      Optional<Process> standing = takeStandby(task);
      Process process = standing.isPresent() ? standing.get() : builder.start();
      started.put(task.id(), new Runner(process.toHandle(), process));
      task.containerId("pid:" + process.pid());
      Files.writeString(task.dir().resolve(PID_FILE), process.pid() + "\n", StandardCharsets.UTF_8);
      LOG.log(
          Level.INFO,
          "task {0}: runner {1}, pid {2}",
          task.id(),
          standing.isPresent() ? "taken from standby" : "started",
          process.pid());
    } catch (IOException e) {
      throw new TaskFailure(
          TerminationReasons.CONTAINER_EXITED_WITH_ERROR, "cannot start the runner: " + e, e);
    }
  }

  /**
   * The standby runner, given the task: its directory takes the place of the task's (still empty)
   * and it reads the task's options. Empty when there is none, or it cannot be used; the task's
   * runner is then started as usual.
   */
  private Optional<Process> takeStandby(Task task) {
    Standby taken = standby.getAndSet(null);
    if (taken == null) {
      return Optional.empty();
    }
    if (!taken.process().isAlive()) {
      LOG.log(Level.WARNING, "the standby runner exited with {0}", taken.process().exitValue());
      Tasks.deleteTree(taken.dir());
      return Optional.empty();
    }
    try {
      Files.delete(task.dir());
    } catch (IOException e) {
      standby.compareAndSet(null, taken); // the task's dir is in use: the next task may take it
      return Optional.empty();
    }
    try {
      if (renice && !ProcessGroup.renice(taken.process().pid(), 0)) {
        throw new IOException("cannot raise its priority back (renice)");
      }
      Files.move(taken.dir(), task.dir(), StandardCopyOption.ATOMIC_MOVE);
      List<String> options = new ArrayList<>();
      options.addAll(List.of("--port", Integer.toString(task.runnerPort())));
      options.addAll(runnerArguments(task));
      options.add("");
      try (OutputStream in = taken.process().getOutputStream()) {
        in.write((String.join("\n", options) + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return Optional.of(taken.process());
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot hand task {0} to the standby runner: {1}", task.id(), e);
      ProcessGroup.stop(taken.process().toHandle(), ownGroups, Duration.ZERO);
      Tasks.deleteTree(taken.dir());
      try {
        Files.createDirectories(task.dir());
      } catch (IOException again) {
        LOG.log(Level.WARNING, "cannot create " + task.dir() + ": " + again.getMessage());
      }
      return Optional.empty();
    }
  }

  /** Starts a standby runner unless there is one (or they are off). */
  private void replenishStandby() {
    if (!standbyRunner || standby.get() != null) {
      return;
    }
    Path dir = runnersDir.resolve(STANDBY_PREFIX + UUID.randomUUID());
    try {
      Files.createDirectories(dir);
      ProcessBuilder builder = runner(dir, 0, "--standby");
      if (renice) {
        builder.command().addAll(0, List.of("nice", "-n", Integer.toString(STANDBY_NICENESS)));
      }
      Process process = builder.start();
      if (!standby.compareAndSet(null, new Standby(process, dir))) {
        process.getOutputStream().close(); // another task's exit started one first: this one ends
        Tasks.deleteTree(dir);
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot start a standby runner in " + dir + ": " + e.getMessage());
      Tasks.deleteTree(dir);
    }
  }

  /** Waits for the task's runner to exit; then starts the next task's runner ahead. */
  @Override
  public int await(Task task) throws InterruptedException, TaskFailure {
    Runner runner = started.get(task.id());
    if (runner == null) {
      throw new TaskFailure(TerminationReasons.EXECUTOR_ERROR, "task was not started");
    }
    int exit = runner.await();
    replenishStandby();
    return exit;
  }

  @Override
  public void stop(Task task, Duration timeout) {
    Runner runner = started.get(task.id());
    if (runner != null && runner.handle().isAlive()) {
      ProcessGroup.stop(runner.handle(), ownGroups, withArchiveGrace(timeout));
    }
  }

  /** The stop's timeout, or {@link #ARCHIVE_WRITE_GRACE} for the one stop that may write it. */
  private Duration withArchiveGrace(Duration timeout) {
    if (timeout.compareTo(ARCHIVE_WRITE_GRACE) < 0
        && !Files.exists(launch.cacheDir().resolve(RunnerLaunch.ARCHIVE))
        && archiveGraceGiven.compareAndSet(false, true)) {
      return ARCHIVE_WRITE_GRACE;
    }
    return timeout;
  }

  @Override
  public void remove(Task task) {
    created.remove(task.id());
    adoptedDirs.remove(task.dir());
    Runner runner = started.remove(task.id());
    if (runner != null && runner.handle().isAlive()) {
      ProcessGroup.stop(runner.handle(), ownGroups, Duration.ZERO);
    }
  }

  /** The last lines of the runner's output (read from its last 64 KiB, any bytes decoded). */
  @Override
  public List<String> lastLogLines(Task task, int lines) {
    try (SeekableByteChannel log = Files.newByteChannel(task.dir().resolve(LOG_FILE))) {
      long size = log.size();
      ByteBuffer tail = ByteBuffer.allocate((int) Math.min(size, 64 * 1024));
      log.position(size - tail.capacity());
      while (tail.hasRemaining() && log.read(tail) > 0) {
        // reads the whole tail
      }
      List<String> all =
          new String(tail.array(), 0, tail.position(), StandardCharsets.UTF_8).lines().toList();
      return all.subList(Math.max(0, all.size() - lines), all.size());
    } catch (IOException e) {
      return List.of();
    }
  }
}
