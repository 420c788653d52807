package ai.dstack.activities.local;

import ai.dstack.activities.offers.FleetOffers;
import ai.dstack.core.agents.shim.HostInfo;
import ai.dstack.core.agents.shim.TerminationReasons;
import ai.dstack.core.configurations.Blocks;
import ai.dstack.core.runs.InstanceResources;
import ai.dstack.workflows.fleets.FleetInstance;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent of the server's {@code local} fleet: starts the shim on this host, or adopts the one an
 * earlier server left running, and keeps it alive while the server runs.
 *
 * <p><b>Adopt or replace.</b> The state dir records the shim's pid and port. On {@link #start()} a
 * recorded shim whose process lives, is a shim of this state dir (its command line names the dir's
 * home) and answers its healthcheck on the recorded port is adopted as it is, so the jobs it runs
 * live on across a server that was killed ({@code kill -9}) or restarted. Otherwise it is replaced:
 * stopped if its process is still ours, and a new shim started on the same port (another when that
 * port was taken meanwhile).
 *
 * <p><b>Supervision.</b> While the server runs, a thread checks every {@link
 * LocalShimSettings#checkInterval()} that the shim lives and answers; a shim that died, or that
 * missed three healthchecks in a row (then it is killed), is restarted after a backoff of 1 s,
 * doubling to {@link LocalShimSettings#maxBackoff()}, back to 1 s once a shim has lived a minute.
 * Every step is logged. The restarted shim reuses the port, so the fleet's instance keeps its
 * address; the {@code onRestart} listener hears of each restart (and of a port that had to change).
 *
 * <p><b>Shutdown.</b> The shim runs in its own session ({@code setsid}), so a Ctrl-C in the
 * server's terminal reaches the server only, and {@link #stop()} decides, by {@link OnShutdown}: by
 * default ({@link OnShutdown#STOP_WHEN_IDLE}) a shim with no task running is stopped, so a Ctrl-C
 * leaves nothing behind, while a shim running jobs is left running for the next server to adopt, as
 * dstack leaves a run's instances running across a server restart. A shim recorded in this state
 * dir counts as started by this server even when an earlier run of it started the shim (nothing
 * else starts shims there), so an adopted idle shim is stopped too.
 *
 * <p>The mode is the shim's to decide: {@link Mode#AUTO} runs jobs in Docker containers when an
 * engine answers and as processes otherwise; {@link Mode#DOCKER} fails to start without an engine.
 */
public final class LocalShim implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalShim.class);

  /** The backend of the local fleet's instance. */
  public static final String BACKEND = "local";

  /** The region and instance type of the local fleet's instance. */
  public static final String REGION = "local";

  /** The shim listens on loopback only: the server on this host is its only client. */
  public static final String HOST = "127.0.0.1";

  /** How the shim runs jobs. */
  public enum Mode {
    /** In Docker containers when an engine answers, else as processes. */
    AUTO,
    /** In Docker containers; the shim does not start without an engine. */
    DOCKER,
    /** As processes of this host. */
    PROCESS;

    String option() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What a clean server shutdown ({@link #stop()}) does with the shim. */
  public enum OnShutdown {
    /** Stops it when no task runs; leaves it running for the next server otherwise. */
    STOP_WHEN_IDLE,
    /** Stops it; running tasks are removed by the next shim that starts in this state dir. */
    STOP,
    /** Leaves it running for the next server to adopt. */
    KEEP
  }

  /**
   * The shim in use.
   *
   * @param pid its process id
   * @param host the address it listens on
   * @param port its port
   * @param engine how it runs tasks: {@code docker} or {@code process}
   * @param adopted whether an earlier server started it
   * @param startedAt when it was started
   */
  public record Running(
      long pid, String host, int port, String engine, boolean adopted, Instant startedAt) {}

  private static final Pattern LISTENING = Pattern.compile("shim listening on (\\S+):(\\d+)");
  private static final Pattern ENGINE = Pattern.compile("dstack-shim \\S+ \\((\\w+) mode,");
  private static final String PORT_TAKEN = "cannot listen on";
  private static final int MISSED_HEALTHCHECKS_BEFORE_RESTART = 3;
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  private static final Duration STABLE_AFTER = Duration.ofMinutes(1);
  private static final Duration EXIT_WAIT = Duration.ofSeconds(10);

  /** How long each task gets to stop politely when the server stops the shim with its jobs. */
  private static final Duration TASK_STOP_TIMEOUT = Duration.ofSeconds(2);

  private static final long MAX_LOG_BYTES = 16L << 20;
  private static final int LOG_LINES_IN_ERRORS = 20;

  /** File locks are per process; this keeps two LocalShims of one JVM apart too. */
  private static final ConcurrentHashMap<Path, ReentrantLock> STATE_LOCKS =
      new ConcurrentHashMap<>();

  private final LocalShimSettings settings;
  private final Consumer<Running> onRestart;
  private volatile Running running;
  private volatile boolean stopping;
  private Thread supervisor;

  public LocalShim(LocalShimSettings settings) {
    this(settings, r -> {});
  }

  /**
   * @param onRestart told of each shim supervision starts in place of one that died (its port may
   *     differ from the one before when that was taken)
   */
  public LocalShim(LocalShimSettings settings, Consumer<Running> onRestart) {
    this.settings = settings;
    this.onRestart = onRestart;
  }

  /**
   * Adopts the recorded shim or starts one, and supervises it from now on; returns once it answers
   * and has set up its engine. Idempotent.
   *
   * @throws IOException when no shim could be started (the message quotes its log)
   */
  public synchronized Running start() throws IOException {
    if (stopping) {
      throw new IllegalStateException("the local shim's agent was stopped");
    }
    if (running != null) {
      return running;
    }
    Files.createDirectories(settings.stateDir());
    try (var lock = lockState()) {
      running = adoptOrStart();
    }
    supervisor = Thread.ofPlatform().daemon().name("local-shim-supervisor").start(this::supervise);
    return running;
  }

  /** The shim in use. */
  public Running running() {
    var current = running;
    if (current == null) {
      throw new IllegalStateException("the local shim is not started");
    }
    return current;
  }

  public String host() {
    return running().host();
  }

  public int port() {
    return running().port();
  }

  public long pid() {
    return running().pid();
  }

  /** How the shim runs jobs: {@code docker} or {@code process}. */
  public String engine() {
    return running().engine();
  }

  /** Whether the shim answers its healthcheck now. */
  public boolean healthy() {
    var current = running;
    return current != null && endpoint(current).answers();
  }

  /** The host's resources as the shim reports them ({@code /api/host_info}). */
  public HostInfo hostInfo() throws IOException {
    return endpoint(running()).hostInfo();
  }

  /**
   * The local fleet's single instance: this host, reached through the shim, at no cost.
   *
   * @param blocks the fleet's {@code blocks}: how many jobs may share the host
   * @param cpus the CPUs the instance offers in place of the host's, to oversubscribe the host for
   *     light jobs; empty for the host's as the shim reports them
   * @throws IllegalArgumentException when the instance's CPUs and GPUs do not divide into {@code
   *     blocks}
   */
  public FleetInstance instance(
      String instanceId, String instanceName, Blocks blocks, OptionalInt cpus) throws IOException {
    var current = running();
    var host = HostResources.of(hostInfo());
    var resources =
        cpus.isEmpty()
            ? host
            : new InstanceResources(
                cpus.getAsInt(), host.memoryMib(), host.gpus(), host.diskMib(), host.spot());
    return new FleetInstance(
        instanceId,
        instanceName,
        BACKEND,
        REGION,
        REGION,
        current.host(),
        current.port(),
        0.0,
        resources,
        FleetOffers.totalBlocks(blocks, resources));
  }

  /** Ends supervision, then stops the shim or leaves it running, as {@link OnShutdown} says. */
  public void stop() {
    synchronized (this) {
      if (stopping) {
        return;
      }
      stopping = true;
    }
    if (supervisor != null) {
      supervisor.interrupt();
      try {
        supervisor.join(EXIT_WAIT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // read after supervision ended: a restart may have replaced the shim meanwhile
    var current = running;
    if (current == null) {
      return;
    }
    switch (settings.onShutdown()) {
      case KEEP -> leave(current, "on_shutdown is keep");
      case STOP -> {
        // Its jobs end with it: left running, nothing would ever stop them (a process-mode runner
        // lives on in its own session, a container in the engine, with no server to follow it).
        terminateTasks(current);
        shutDown(current);
      }
      case STOP_WHEN_IDLE -> {
        long active;
        try {
          active = endpoint(current).activeTasks();
        } catch (IOException e) {
          // a shim that cannot say is no use to the next server either, which would replace it
          active = 0;
        }
        if (active == 0) {
          shutDown(current);
        } else {
          leave(current, active + " task(s) still running");
        }
      }
    }
  }

  @Override
  public void close() {
    stop();
  }

  // ---- Adopting or starting. ----

  private Running adoptOrStart() throws IOException {
    var recorded = ShimRecord.read(settings.stateDir());
    if (recorded.isEmpty()) {
      return launch(settings.port());
    }
    var shim = recorded.get();
    var unfit = whyNotAdopt(shim);
    if (unfit == null) {
      log.info(
          "Adopted the local shim an earlier server started: pid {}, port {}, {} mode",
          shim.pid(),
          shim.port(),
          shim.engine());
      if (settings.mode() != Mode.AUTO && !settings.mode().option().equals(shim.engine())) {
        // replacing it would kill the jobs it runs; the setting applies to the next shim
        log.warn(
            "The adopted local shim runs in {} mode although mode {} is set; the next shim will",
            shim.engine(),
            settings.mode().option());
      }
      return new Running(shim.pid(), shim.host(), shim.port(), shim.engine(), true, shim.started());
    }
    log.info("Replacing the local shim recorded in {}: {}", settings.stateDir(), unfit);
    ProcessHandle.of(shim.pid())
        .filter(ProcessHandle::isAlive)
        .filter(p -> isShimOfThisDir(p))
        .ifPresent(LocalShim::terminate);
    return launch(shim.port());
  }

  /** Why the recorded shim cannot be adopted, or null when it can. */
  private String whyNotAdopt(ShimRecord shim) {
    var process = ProcessHandle.of(shim.pid()).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      return "its process " + shim.pid() + " is gone";
    }
    if (!isShimOfThisDir(process.get())) {
      return "process " + shim.pid() + " is no longer a shim of this directory";
    }
    if (!new ShimEndpoint(shim.host(), shim.port()).answers()) {
      return "process " + shim.pid() + " does not answer its healthcheck on port " + shim.port();
    }
    return null;
  }

  /** Whether the process's command line names this dir's shim home (when the OS tells). */
  private boolean isShimOfThisDir(ProcessHandle process) {
    var home = settings.home().toString();
    var info = process.info();
    Optional<Boolean> byArguments = info.arguments().map(args -> List.of(args).contains(home));
    return byArguments.orElseGet(() -> info.commandLine().map(c -> c.contains(home)).orElse(true));
  }

  /** Starts a shim on {@code port}, or on any free port when that one is taken. */
  private Running launch(int port) throws IOException {
    try {
      return launchOn(port);
    } catch (PortTakenException e) {
      if (port == 0) {
        throw e;
      }
      log.warn("Port {} is taken ({}); the local shim takes another", port, e.getMessage());
      return launchOn(0);
    }
  }

  private Running launchOn(int port) throws IOException {
    Files.createDirectories(settings.home());
    rotateLog();
    var logFile = settings.log();
    var offset = Files.exists(logFile) ? Files.size(logFile) : 0;
    List<String> command = new ArrayList<>();
    setsid().ifPresent(command::add);
    command.add(settings.javaHome().resolve("bin").resolve("java").toString());
    command.addAll(jvmOptions(settings.stateDir().resolve(ARCHIVE)));
    command.addAll(
        List.of(
            "-jar",
            settings.shimJar().toString(),
            "--host",
            HOST,
            "--port",
            Integer.toString(port),
            "--home",
            settings.home().toString(),
            "--mode",
            settings.mode().option(),
            "--runner-jar",
            settings.runnerJar().toString()));
    log.info("Starting the local shim: {}", String.join(" ", command));
    var process =
        new ProcessBuilder(command)
            .directory(settings.stateDir().toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .start();
    try {
      var ready = awaitReady(process, offset);
      var shim =
          new ShimRecord(
              process.pid(),
              HOST,
              ready.port(),
              ready.engine(),
              settings.home().toString(),
              Instant.now().toString());
      shim.write(settings.stateDir());
      log.info(
          "The local shim runs: pid {}, port {}, {} mode; its log is {}",
          shim.pid(),
          shim.port(),
          shim.engine(),
          logFile);
      return new Running(shim.pid(), HOST, shim.port(), shim.engine(), false, shim.started());
    } catch (IOException | RuntimeException e) {
      // a shim that is not recorded would outlive every server unseen
      if (process.isAlive()) {
        terminate(process.toHandle());
      }
      throw e;
    }
  }

  private record Ready(int port, String engine) {}

  /**
   * The shim's class-data archive in the state dir: written when a shim exits, read by the next.
   */
  static final String ARCHIVE = "shim.jsa";

  /**
   * The shim's JVM options, as shim/README.md recommends (docs/benchmarks.md, "Shim"): serial GC,
   * C1 only, small stacks, and a class-data archive, which together halve its start-up; an agent
   * that mostly waits on I/O needs no more. The archive's warnings would land in the shim's log.
   */
  static List<String> jvmOptions(Path archive) {
    return List.of(
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-Xss512k",
        "-XX:-UsePerfData",
        "-XX:SharedArchiveFile=" + archive,
        "-XX:+AutoCreateSharedArchive",
        "-Xlog:cds*=off");
  }

  /**
   * Waits for the shim's two start-up lines: the port it listens on, then the engine it runs tasks
   * with (logged once it takes tasks; ShimMain writes both).
   */
  private Ready awaitReady(Process process, long offset) throws IOException {
    var deadline = System.nanoTime() + settings.startTimeout().toNanos();
    Integer port = null;
    while (true) {
      var output = readLog(offset);
      if (port == null) {
        var listening = LISTENING.matcher(output);
        port = listening.find() ? Integer.valueOf(listening.group(2)) : null;
      }
      var engine = ENGINE.matcher(output);
      if (port != null && engine.find()) {
        return new Ready(port, engine.group(1));
      }
      if (!process.isAlive()) {
        output = readLog(offset);
        if (output.contains(PORT_TAKEN)) {
          throw new PortTakenException(lastLines(output));
        }
        throw new IOException(
            "the local shim exited with status "
                + process.exitValue()
                + "; its log ("
                + settings.log()
                + ") ends:\n"
                + lastLines(output));
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "the local shim did not get ready within "
                + settings.startTimeout().toSeconds()
                + "s; its log ("
                + settings.log()
                + ") ends:\n"
                + lastLines(output));
      }
      pauseUninterruptibly(Duration.ofMillis(50));
    }
  }

  /** The shim's port was taken. */
  private static final class PortTakenException extends IOException {
    PortTakenException(String message) {
      super(message);
    }
  }

  // ---- Supervision. ----

  private void supervise() {
    var backoff = FIRST_BACKOFF;
    var missed = 0;
    while (!stopping) {
      if (!pause(settings.checkInterval())) {
        return;
      }
      var current = running;
      var process = ProcessHandle.of(current.pid()).filter(ProcessHandle::isAlive);
      if (process.isPresent() && endpoint(current).answers()) {
        missed = 0;
        if (Duration.between(current.startedAt(), Instant.now()).compareTo(STABLE_AFTER) > 0) {
          backoff = FIRST_BACKOFF;
        }
        continue;
      }
      if (process.isPresent()) {
        missed++;
        if (missed < MISSED_HEALTHCHECKS_BEFORE_RESTART) {
          log.warn(
              "The local shim (pid {}) did not answer its healthcheck on port {} ({} of {})",
              current.pid(),
              current.port(),
              missed,
              MISSED_HEALTHCHECKS_BEFORE_RESTART);
          continue;
        }
        log.warn(
            "The local shim (pid {}) missed {} healthchecks; killing it and restarting it in {}s",
            current.pid(),
            missed,
            backoff.toMillis() / 1000.0);
        terminate(process.get());
      } else {
        log.warn(
            "The local shim (pid {}, port {}) died; restarting it in {}s",
            current.pid(),
            current.port(),
            backoff.toMillis() / 1000.0);
      }
      missed = 0;
      if (!pause(backoff)) {
        return;
      }
      var delay = backoff;
      backoff =
          backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0
              ? settings.maxBackoff()
              : backoff.multipliedBy(2);
      restart(current, delay);
    }
  }

  private void restart(Running dead, Duration after) {
    Running next;
    try (var lock = lockState()) {
      if (stopping) {
        return;
      }
      next = launch(dead.port());
      running = next;
    } catch (IOException e) {
      log.error(
          "Could not restart the local shim after {}s (trying again): {}",
          after.toMillis() / 1000.0,
          e.getMessage());
      return;
    }
    if (next.port() != dead.port()) {
      log.warn("The restarted local shim listens on port {}, not {}", next.port(), dead.port());
    }
    try {
      onRestart.accept(next);
    } catch (RuntimeException e) {
      log.error("The local shim's restart listener failed", e);
    }
  }

  /** Sleeps; false when stopping or interrupted. */
  private boolean pause(Duration duration) {
    try {
      Thread.sleep(duration);
      return !stopping;
    } catch (InterruptedException e) {
      return false;
    }
  }

  // ---- Stopping. ----

  private void leave(Running current, String why) {
    log.info(
        "Leaving the local shim running ({}): pid {}, port {}; the next server adopts it",
        why,
        current.pid(),
        current.port());
  }

  private void terminateTasks(Running current) {
    try {
      int told =
          endpoint(current)
              .terminateTasks(
                  TerminationReasons.TERMINATED_BY_SERVER,
                  "the server stopped its local shim (on_shutdown is stop)",
                  TASK_STOP_TIMEOUT);
      if (told > 0) {
        log.info("Terminated the local shim's {} running task(s): on_shutdown is stop", told);
      }
    } catch (IOException e) {
      log.info("Could not terminate the local shim's tasks ({})", e.getMessage());
    }
  }

  private void shutDown(Running current) {
    try (var lock = lockState()) {
      var process = ProcessHandle.of(current.pid()).filter(ProcessHandle::isAlive);
      if (process.isPresent() && isShimOfThisDir(process.get())) {
        try {
          // With its tasks: on_shutdown stop terminated those it saw, and stop_when_idle saw none,
          // but a job workflow's task may still have come in meanwhile; nothing would stop it.
          endpoint(current).shutdown(true);
        } catch (IOException e) {
          log.info("The local shim did not take its shutdown ({}); terminating it", e.getMessage());
        }
        if (!waitForExit(process.get(), EXIT_WAIT)) {
          terminate(process.get());
        }
      }
      ShimRecord.delete(settings.stateDir());
      log.info("Stopped the local shim (pid {})", current.pid());
    } catch (IOException e) {
      log.warn("Could not stop the local shim (pid {}): {}", current.pid(), e.getMessage());
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited after {@link #EXIT_WAIT}. */
  private static void terminate(ProcessHandle process) {
    process.destroy();
    if (!waitForExit(process, EXIT_WAIT)) {
      log.warn("The local shim (pid {}) ignored SIGTERM; killing it", process.pid());
      process.destroyForcibly();
      waitForExit(process, EXIT_WAIT);
    }
  }

  private static boolean waitForExit(ProcessHandle process, Duration timeout) {
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    } catch (Exception e) {
      return !process.isAlive();
    }
  }

  // ---- Files. ----

  private interface StateLock extends AutoCloseable {
    @Override
    void close() throws IOException;
  }

  /** Keeps two servers (or two agents of one JVM) from starting shims in one state dir at once. */
  private StateLock lockState() throws IOException {
    var inProcess = STATE_LOCKS.computeIfAbsent(settings.stateDir(), d -> new ReentrantLock());
    inProcess.lock();
    try {
      var channel =
          FileChannel.open(
              settings.stateDir().resolve("lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
      try {
        var fileLock = channel.lock();
        return () -> {
          try {
            fileLock.release();
            channel.close();
          } finally {
            inProcess.unlock();
          }
        };
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      inProcess.unlock();
      throw e;
    }
  }

  private void rotateLog() throws IOException {
    var logFile = settings.log();
    if (Files.exists(logFile) && Files.size(logFile) > MAX_LOG_BYTES) {
      Files.move(
          logFile,
          logFile.resolveSibling(logFile.getFileName() + ".1"),
          StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** What the shim log holds after {@code offset} (the part this start wrote). */
  private String readLog(long offset) throws IOException {
    try (var file = new RandomAccessFile(settings.log().toFile(), "r")) {
      var length = file.length();
      if (length <= offset) {
        return "";
      }
      file.seek(offset);
      var bytes = new byte[(int) Math.min(length - offset, 1 << 20)];
      file.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private static String lastLines(String output) {
    var lines = output.strip().lines().toList();
    return String.join(
        "\n", lines.subList(Math.max(0, lines.size() - LOG_LINES_IN_ERRORS), lines.size()));
  }

  private static ShimEndpoint endpoint(Running shim) {
    return new ShimEndpoint(shim.host(), shim.port());
  }

  /**
   * {@code setsid}, which starts the shim in a session of its own: a terminal's Ctrl-C then reaches
   * the server only. Without it the shim shares the server's process group.
   */
  private static Optional<String> setsid() {
    var path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (var dir : path.split(File.pathSeparator)) {
      var candidate = Path.of(dir, "setsid");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate.toString());
      }
    }
    return Optional.empty();
  }

  private static void pauseUninterruptibly(Duration duration) throws IOException {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while the local shim started", e);
    }
  }
}
