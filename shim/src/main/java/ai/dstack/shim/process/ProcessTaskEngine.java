package ai.dstack.shim.process;

import ai.dstack.core.agents.shim.TerminationReasons;
import ai.dstack.shim.tasks.RunnerLaunch;
import ai.dstack.shim.tasks.Task;
import ai.dstack.shim.tasks.TaskEngine;
import ai.dstack.shim.tasks.TaskFailure;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Tasks as host processes: the runner ({@code java -jar runner.jar --port N}) runs in the task's
 * directory, its output in {@value #LOG_FILE}, its pid in {@value #PID_FILE}. There is no image
 * (the task's image is not used), no isolation and no resource limits: this mode is for hosts
 * without Docker.
 */
public final class ProcessTaskEngine implements TaskEngine {
  private static final System.Logger LOG = System.getLogger(ProcessTaskEngine.class.getName());

  /** The runner's standard output and error, in the task directory. */
  public static final String LOG_FILE = "runner.log";

  /** The runner's pid, by which a later shim with the same home finds a leftover runner. */
  public static final String PID_FILE = "runner.pid";

  /** The runner's home (its logs, uploads), in the task directory. */
  public static final String RUNNER_HOME = "runner";

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
  private final Map<String, ProcessBuilder> created = new ConcurrentHashMap<>();
  private final Map<String, Process> started = new ConcurrentHashMap<>();
  private final AtomicBoolean archiveGraceGiven = new AtomicBoolean();

  /**
   * @param runnersDir where the task directories are ({@code <home>/runners})
   */
  public ProcessTaskEngine(RunnerLaunch launch, Path runnersDir) {
    this.launch = launch;
    this.runnersDir = runnersDir;
  }

  @Override
  public String mode() {
    return "process";
  }

  /** Stops runners whose pid files are in this home and whose working directory matches. */
  @Override
  public void cleanUpLeftovers() {
    if (!Files.isDirectory(runnersDir)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(runnersDir)) {
      for (Path dir : dirs.toList()) {
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
    List<String> command = new ArrayList<>();
    if (ownGroups) {
      command.add("setsid"); // the runner leads a new process group, so stop reaches its children
    }
    // each runner its own home: runners on one host would share the default /tmp/runner
    command.addAll(
        RunnerLaunch.command(
            java.toString(),
            launch.runnerJar().toAbsolutePath().toString(),
            task.runnerPort(),
            launch.cacheDir().resolve(RunnerLaunch.ARCHIVE).toString(),
            "--home",
            task.dir().resolve(RUNNER_HOME).toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(task.dir().toFile())
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(task.dir().resolve(LOG_FILE).toFile()));
    builder.environment().put("DSTACK_TASK_ID", task.id());
    created.put(task.id(), builder);
  }

  @Override
  public void start(Task task) throws TaskFailure {
    ProcessBuilder builder = created.remove(task.id());
    if (builder == null) {
      throw new TaskFailure(TerminationReasons.EXECUTOR_ERROR, "task was not created");
    }
    try {
      Process process = builder.start();
      started.put(task.id(), process);
      task.containerId("pid:" + process.pid());
      Files.writeString(task.dir().resolve(PID_FILE), process.pid() + "\n", StandardCharsets.UTF_8);
      LOG.log(Level.INFO, "task {0}: runner started, pid {1}", task.id(), process.pid());
    } catch (IOException e) {
      throw new TaskFailure(
          TerminationReasons.CONTAINER_EXITED_WITH_ERROR, "cannot start the runner: " + e, e);
    }
  }

  @Override
  public int await(Task task) throws InterruptedException, TaskFailure {
    Process process = started.get(task.id());
    if (process == null) {
      throw new TaskFailure(TerminationReasons.EXECUTOR_ERROR, "task was not started");
    }
    return process.waitFor();
  }

  @Override
  public void stop(Task task, Duration timeout) {
    Process process = started.get(task.id());
    if (process != null && process.isAlive()) {
      ProcessGroup.stop(process.toHandle(), ownGroups, withArchiveGrace(timeout));
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
    Process process = started.remove(task.id());
    if (process != null && process.isAlive()) {
      ProcessGroup.stop(process.toHandle(), ownGroups, Duration.ZERO);
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
