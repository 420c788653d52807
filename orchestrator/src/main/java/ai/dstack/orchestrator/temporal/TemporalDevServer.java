package ai.dstack.orchestrator.temporal;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Temporal dev server ({@code temporal server start-dev}) whose state lives in a file under the
 * server dir, so workflows survive restarts of both. It runs in its own session, so a Ctrl-C in the
 * terminal reaches the dstack server first, which stops its workers and then this.
 *
 * <p>A pid file records the running dev server. When the dstack server was killed, the next one
 * finds the dev server still running: it adopts it when it answers, and replaces it when it does
 * not.
 *
 * <p>Once {@link #supervise() supervised}, a dev server that dies is started again on the same
 * ports and database, so the clients' and workers' channels reconnect by themselves.
 */
public final class TemporalDevServer {

  private static final Logger log = LoggerFactory.getLogger(TemporalDevServer.class);

  private static final String HOST = "127.0.0.1";
  private static final String PID_FILE = "dev-server.pid";
  private static final Duration ADOPT_CHECK = Duration.ofSeconds(3);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration LAST_RETRY = Duration.ofSeconds(30);

  private final Path stateDir;
  private final String cli;

  /**
   * The ports chosen for the dev server lie in [FIRST_PORT, LAST_PORT), below the ephemeral ones.
   */
  private static final int FIRST_PORT = 10000;

  private static final int LAST_PORT = 30000;

  private final List<String> command;
  private final int port;
  private final int uiPort;
  private final boolean adopted;
  private final Duration startTimeout;
  private volatile ProcessHandle process;
  private Thread supervisor;
  private boolean stopping;

  /**
   * How to run the dev server.
   *
   * @param stateDir where its database, log and pid file live
   * @param cli the {@code temporal} binary
   * @param port preferred gRPC port (any free one when busy or 0)
   * @param uiPort preferred Web UI port (any free one when busy or 0)
   * @param namespace a namespace to create besides {@code default}, or {@code default}
   * @param startTimeout how long {@link #awaitReady()} waits
   */
  public record Options(
      Path stateDir, String cli, int port, int uiPort, String namespace, Duration startTimeout) {}

  private TemporalDevServer(
      Path stateDir,
      String cli,
      List<String> command,
      ProcessHandle process,
      int port,
      int uiPort,
      boolean adopted,
      Duration startTimeout) {
    this.stateDir = stateDir;
    this.cli = cli;
    this.command = command;
    this.process = process;
    this.port = port;
    this.uiPort = uiPort;
    this.adopted = adopted;
    this.startTimeout = startTimeout;
  }

  /**
   * Adopts the dev server a previous dstack server left running on this state dir when it answers,
   * or starts a new one (killing an unresponsive one first). Returns without waiting for a new one
   * to answer; see {@link #awaitReady()}.
   */
  public static TemporalDevServer startOrAdopt(Options options) {
    Path dir = options.stateDir().toAbsolutePath();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    Optional<TemporalDevServer> adopted = adoptPrevious(dir, options);
    if (adopted.isPresent()) {
      return adopted.get();
    }
    int port = freePort(options.port());
    int uiPort = freePort(options.uiPort(), port);
    List<String> command = command(options, dir, port, uiPort);
    Process started = launch(command, dir, options.cli());
    writePidFile(dir, started.pid(), port, uiPort);
    log.debug("Started the Temporal dev server, pid {}, port {}", started.pid(), port);
    return new TemporalDevServer(
        dir,
        options.cli(),
        command,
        started.toHandle(),
        port,
        uiPort,
        false,
        options.startTimeout());
  }

  /**
   * Waits until the dev server answers.
   *
   * @throws IllegalStateException when it exits or does not answer in time; the message carries the
   *     end of its log
   */
  public TemporalDevServer awaitReady() {
    Readiness readiness;
    try {
      readiness = await(process);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the Temporal dev server", e);
    }
    return switch (readiness) {
      case ANSWERS -> this;
      case EXITED ->
          throw new IllegalStateException(
              "the Temporal dev server exited at start; its log ends with:\n" + logTail());
      case SILENT ->
          throw new IllegalStateException(
              "the Temporal dev server did not answer on "
                  + target()
                  + " within "
                  + startTimeout.toSeconds()
                  + " s; its log ends with:\n"
                  + logTail());
    };
  }

  /**
   * From now on, until {@link #stop()}, starts the dev server again whenever it dies: on the same
   * ports with the same database, retrying with backoff while it does not come up. Calling it again
   * changes nothing.
   */
  public synchronized TemporalDevServer supervise() {
    if (supervisor == null && !stopping) {
      supervisor =
          Thread.ofPlatform()
              .daemon()
              .name("temporal-dev-server-supervisor")
              .start(this::restartWhenDead);
    }
    return this;
  }

  /**
   * Ends supervision, stops the dev server (SIGTERM, then SIGKILL after a grace period) and removes
   * the pid file.
   */
  public void stop() {
    Thread watching;
    synchronized (this) {
      stopping = true;
      watching = supervisor;
    }
    if (watching != null) {
      watching.interrupt();
      try {
        watching.join(STOP_GRACE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    terminate(process);
    try {
      Files.deleteIfExists(stateDir.resolve(PID_FILE));
    } catch (IOException e) {
      log.warn("Cannot remove {}: {}", stateDir.resolve(PID_FILE), e.toString());
    }
  }

  /** {@code host:port} of its gRPC frontend. */
  public String target() {
    return HOST + ":" + port;
  }

  /** The Web UI's address. */
  public String uiUrl() {
    return "http://" + HOST + ":" + uiPort;
  }

  /** Its process id (a new one after each restart). */
  public long pid() {
    return process.pid();
  }

  /** Whether a previous dstack server started it. */
  public boolean adopted() {
    return adopted;
  }

  /** Whether its process runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Where its state lives. */
  public Path stateDir() {
    return stateDir;
  }

  /**
   * Whether a Temporal frontend answers its health check at {@code target} within {@code timeout}.
   */
  public static boolean answers(String target, Duration timeout) {
    int colon = target.lastIndexOf(':');
    // A plain connect first: gRPC backs off after a refused connection, which would delay the
    // first successful check by a second or more.
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(
              target.substring(0, colon), Integer.parseInt(target.substring(colon + 1))),
          (int) Math.min(timeout.toMillis(), 500));
    } catch (IOException e) {
      return false;
    }
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget(target)
                .setRpcTimeout(timeout)
                .setHealthCheckAttemptTimeout(timeout)
                .build());
    try {
      return stubs.healthCheck().getStatus() == ServingStatus.SERVING;
    } catch (RuntimeException e) {
      return false;
    } finally {
      stubs.shutdownNow();
    }
  }

  private static Optional<TemporalDevServer> adoptPrevious(Path dir, Options options) {
    Path pidFile = dir.resolve(PID_FILE);
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    Properties previous = new Properties();
    try (InputStream in = Files.newInputStream(pidFile)) {
      previous.load(in);
    } catch (IOException e) {
      log.warn("Ignoring unreadable {}: {}", pidFile, e.toString());
      return Optional.empty();
    }
    long pid;
    int port;
    int uiPort;
    try {
      pid = Long.parseLong(previous.getProperty("pid"));
      port = Integer.parseInt(previous.getProperty("port"));
      uiPort = Integer.parseInt(previous.getProperty("ui_port"));
    } catch (NumberFormatException e) {
      log.warn("Ignoring malformed {}", pidFile);
      return Optional.empty();
    }
    Optional<ProcessHandle> running =
        ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(TemporalDevServer::isTemporal);
    if (running.isEmpty()) {
      return Optional.empty();
    }
    if (answers(HOST + ":" + port, ADOPT_CHECK)) {
      log.info("Adopting the Temporal dev server a previous server left running (pid {})", pid);
      return Optional.of(
          new TemporalDevServer(
              dir,
              options.cli(),
              command(options, dir, port, uiPort),
              running.get(),
              port,
              uiPort,
              true,
              options.startTimeout()));
    }
    log.warn("Replacing the unresponsive Temporal dev server a previous server left (pid {})", pid);
    terminate(running.get());
    return Optional.empty();
  }

  private void restartWhenDead() {
    try {
      while (true) {
        ProcessHandle watched = process;
        watched.onExit().get();
        if (isStopping()) {
          return;
        }
        log.warn(
            "The Temporal dev server (pid {}) died; starting it again on {} with its database in {}",
            watched.pid(),
            target(),
            stateDir);
        restart();
      }
    } catch (InterruptedException e) {
      // stop() ends supervision.
    } catch (ExecutionException e) {
      log.error("Supervision of the Temporal dev server failed", e);
    }
  }

  private void restart() throws InterruptedException {
    Duration retry = FIRST_RETRY;
    while (true) {
      String failure;
      try {
        Optional<ProcessHandle> started = launchUnlessStopping();
        if (started.isEmpty()) {
          return;
        }
        Readiness readiness = await(started.get());
        if (readiness == Readiness.ANSWERS) {
          log.info("The Temporal dev server is back (pid {}) on {}", started.get().pid(), target());
          return;
        }
        terminate(started.get());
        failure =
            readiness == Readiness.EXITED
                ? "it exited at start"
                : "it did not answer within " + startTimeout.toSeconds() + " s";
      } catch (RuntimeException e) {
        failure = e.getMessage();
      }
      if (isStopping()) {
        return;
      }
      log.warn(
          "Cannot start the Temporal dev server again ({}); trying again in {} s; its log ends"
              + " with:\n{}",
          failure,
          retry.toSeconds(),
          logTail());
      Thread.sleep(retry);
      Duration doubled = retry.multipliedBy(2);
      retry = doubled.compareTo(LAST_RETRY) < 0 ? doubled : LAST_RETRY;
    }
  }

  // Under the lock, so that stop() either sees the new process or no new process starts.
  private synchronized Optional<ProcessHandle> launchUnlessStopping() {
    if (stopping) {
      return Optional.empty();
    }
    process = launch(command, stateDir, cli).toHandle();
    try {
      writePidFile(stateDir, process.pid(), port, uiPort);
    } catch (UncheckedIOException e) {
      // It only serves the next dstack server after a crash: the dev server runs on without it.
      log.warn("Cannot record the restarted Temporal dev server: {}", e.toString());
    }
    return Optional.of(process);
  }

  private synchronized boolean isStopping() {
    return stopping;
  }

  private enum Readiness {
    ANSWERS,
    EXITED,
    SILENT
  }

  private Readiness await(ProcessHandle candidate) throws InterruptedException {
    Instant deadline = Instant.now().plus(startTimeout);
    while (Instant.now().isBefore(deadline)) {
      if (!candidate.isAlive()) {
        return Readiness.EXITED;
      }
      if (answers(target(), Duration.ofSeconds(2))) {
        return Readiness.ANSWERS;
      }
      Thread.sleep(50);
    }
    return Readiness.SILENT;
  }

  private static List<String> command(Options options, Path dir, int port, int uiPort) {
    // Chosen here too: left to the CLI, they come from the ephemeral range (see freePort).
    int httpPort = freePort(0, port, uiPort);
    int metricsPort = freePort(0, port, uiPort, httpPort);
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      command.add("/usr/bin/setsid");
    }
    command.addAll(
        List.of(
            options.cli(),
            "server",
            "start-dev",
            "--db-filename",
            dir.resolve("temporal.db").toString(),
            "--ip",
            HOST,
            "--port",
            Integer.toString(port),
            "--ui-port",
            Integer.toString(uiPort),
            "--http-port",
            Integer.toString(httpPort),
            "--metrics-port",
            Integer.toString(metricsPort),
            "--ui-disable-news-fetch",
            "--log-level",
            "warn",
            "--sqlite-pragma",
            "journal_mode=wal",
            "--sqlite-pragma",
            "synchronous=normal"));
    if (!options.namespace().equals("default")) {
      command.addAll(List.of("--namespace", options.namespace()));
    }
    for (String attribute : SearchAttributes.ALL) {
      command.addAll(List.of("--search-attribute", attribute + "=Keyword"));
    }
    return List.copyOf(command);
  }

  private static Process launch(List<String> command, Path dir, String cli) {
    try {
      return new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dev-server.log").toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run the Temporal CLI "
              + cli
              + " ("
              + e.getMessage()
              + "); install it with scripts/ensure-temporal.sh and set DSTACK_TEMPORAL_CLI, or set"
              + " DSTACK_TEMPORAL_ADDRESS to use an existing Temporal cluster",
          e);
    }
  }

  // A pid can be reused; only a process running the temporal binary is ours to adopt or kill.
  private static boolean isTemporal(ProcessHandle process) {
    return process.info().command().map(c -> c.endsWith("temporal")).orElse(false)
        && process.info().arguments().map(a -> List.of(a).contains("start-dev")).orElse(false);
  }

  private static void terminate(ProcessHandle process) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      process.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn("The Temporal dev server (pid {}) ignored SIGTERM; killing it", process.pid());
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } catch (ExecutionException e) {
      process.destroyForcibly();
    }
  }

  private static void writePidFile(Path dir, long pid, int port, int uiPort) {
    Properties state = new Properties();
    state.setProperty("pid", Long.toString(pid));
    state.setProperty("port", Integer.toString(port));
    state.setProperty("ui_port", Integer.toString(uiPort));
    Path tmp = dir.resolve(PID_FILE + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      state.store(out, "The Temporal dev server the dstack server started");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + tmp, e);
    }
    try {
      Files.move(tmp, dir.resolve(PID_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(PID_FILE), e);
    }
  }

  /**
   * {@code preferred} when free, else a free port below Linux's ephemeral range (32768 and up): a
   * port picked by binding port 0 comes from that range, and could be handed to an outgoing
   * connection before the dev server binds it.
   */
  private static int freePort(int preferred, int... taken) {
    var excluded = Arrays.stream(taken).boxed().collect(Collectors.toSet());
    if (preferred > 0 && !excluded.contains(preferred) && isFree(preferred)) {
      return preferred;
    }
    var random = ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 1000; attempt++) {
      // Room above each for the ports the dev server derives from its gRPC port (+1 to +10).
      int port = FIRST_PORT + random.nextInt(LAST_PORT - FIRST_PORT) / 16 * 16;
      if (!excluded.contains(port) && isFree(port)) {
        return port;
      }
    }
    throw new IllegalStateException(
        "no free port between " + FIRST_PORT + " and " + LAST_PORT + " on " + HOST);
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
      socket.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private String logTail() {
    Path logFile = stateDir.resolve("dev-server.log");
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log at " + logFile + ")";
    }
  }
}
