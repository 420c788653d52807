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
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 */
public final class TemporalDevServer {

  private static final Logger log = LoggerFactory.getLogger(TemporalDevServer.class);

  private static final String HOST = "127.0.0.1";
  private static final String PID_FILE = "dev-server.pid";
  private static final Duration ADOPT_CHECK = Duration.ofSeconds(3);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final Path stateDir;
  private final ProcessHandle process;
  private final int port;
  private final int uiPort;
  private final boolean adopted;

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

  private final Duration startTimeout;

  private TemporalDevServer(
      Path stateDir,
      ProcessHandle process,
      int port,
      int uiPort,
      boolean adopted,
      Duration startTimeout) {
    this.stateDir = stateDir;
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
    Optional<TemporalDevServer> adopted = adoptPrevious(dir, options.startTimeout());
    if (adopted.isPresent()) {
      return adopted.get();
    }
    int port = freePort(options.port(), -1);
    int uiPort = freePort(options.uiPort(), port);
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
            "--ui-disable-news-fetch",
            "--log-level",
            "warn"));
    if (!options.namespace().equals("default")) {
      command.addAll(List.of("--namespace", options.namespace()));
    }
    for (String attribute : SearchAttributes.ALL) {
      command.addAll(List.of("--search-attribute", attribute + "=Keyword"));
    }
    Path logFile = dir.resolve("dev-server.log");
    Process started;
    try {
      started =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run the Temporal CLI "
              + options.cli()
              + " ("
              + e.getMessage()
              + "); install it with scripts/ensure-temporal.sh and set DSTACK_TEMPORAL_CLI, or set"
              + " DSTACK_TEMPORAL_ADDRESS to use an existing Temporal cluster",
          e);
    }
    writePidFile(dir, started.pid(), port, uiPort);
    log.debug("Started the Temporal dev server, pid {}, port {}", started.pid(), port);
    return new TemporalDevServer(
        dir, started.toHandle(), port, uiPort, false, options.startTimeout());
  }

  /**
   * Waits until the dev server answers.
   *
   * @throws IllegalStateException when it exits or does not answer in time; the message carries the
   *     end of its log
   */
  public TemporalDevServer awaitReady() {
    Instant deadline = Instant.now().plus(startTimeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the Temporal dev server exited at start; its log ends with:\n" + logTail());
      }
      if (answers(target(), Duration.ofSeconds(2))) {
        return this;
      }
      sleep(Duration.ofMillis(50));
    }
    throw new IllegalStateException(
        "the Temporal dev server did not answer on "
            + target()
            + " within "
            + startTimeout.toSeconds()
            + " s; its log ends with:\n"
            + logTail());
  }

  /** Stops the dev server (SIGTERM, then SIGKILL after a grace period) and removes the pid file. */
  public void stop() {
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

  /** Its process id. */
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

  private static Optional<TemporalDevServer> adoptPrevious(Path dir, Duration startTimeout) {
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
          new TemporalDevServer(dir, running.get(), port, uiPort, true, startTimeout));
    }
    log.warn("Replacing the unresponsive Temporal dev server a previous server left (pid {})", pid);
    terminate(running.get());
    return Optional.empty();
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

  private static int freePort(int preferred, int taken) {
    if (preferred > 0 && preferred != taken && isFree(preferred)) {
      return preferred;
    }
    while (true) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
        if (socket.getLocalPort() != taken) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot find a free port", e);
      }
    }
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

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the Temporal dev server", e);
    }
  }
}
