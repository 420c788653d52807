package ai.dstack.shim;

import ai.dstack.core.agents.shim.GpuInfo;
import ai.dstack.core.agents.shim.HostInfo;
import ai.dstack.core.agents.shim.ShimApi;
import ai.dstack.core.json.Json;
import ai.dstack.shim.api.ShimHttpServer;
import ai.dstack.shim.docker.Docker;
import ai.dstack.shim.docker.DockerPing;
import ai.dstack.shim.docker.DockerTaskEngine;
import ai.dstack.shim.host.GpuDetector;
import ai.dstack.shim.host.HostResources;
import ai.dstack.shim.process.ProcessTaskEngine;
import ai.dstack.shim.tasks.GpuLock;
import ai.dstack.shim.tasks.RunnerLaunch;
import ai.dstack.shim.tasks.TaskEngine;
import ai.dstack.shim.tasks.Tasks;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the shim: listens at once, then (in the background) finds the host's GPUs, connects to
 * Docker or falls back to processes, and removes what an earlier shim with the same home left. Task
 * requests wait for that; the healthcheck does not.
 */
public final class ShimMain {
  static final int EXIT_USAGE = 2;
  static final int EXIT_FAILED = 1;

  private ShimMain() {}

  public static void main(String[] args) {
    System.setProperty(
        "java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
    useDefaultHttpServerProvider();
    // logging initialises in ~100 ms; on its own thread, it overlaps with binding the server
    Thread.startVirtualThread(() -> log().isLoggable(Level.INFO));
    ShimOptions options;
    try {
      options = ShimOptions.parse(Arrays.asList(args));
    } catch (ShimOptions.UsageException e) {
      if (!e.getMessage().isEmpty()) {
        System.err.println("dstack-shim: " + e.getMessage());
      }
      System.err.print(ShimOptions.USAGE);
      System.exit(e.getMessage().isEmpty() ? 0 : EXIT_USAGE);
      return;
    }
    try {
      run(options);
      System.exit(0);
    } catch (StartupException e) {
      System.err.println("dstack-shim: " + e.getMessage());
      System.exit(EXIT_FAILED);
    }
  }

  /**
   * Names the JDK's own HttpServer provider, sparing the search of every jar of the classpath for
   * another (docker-java brings many; about 0.1-0.2 s of the start here).
   */
  private static void useDefaultHttpServerProvider() {
    String property = "com.sun.net.httpserver.HttpServerProvider";
    boolean jdkProvider =
        ModuleLayer.boot()
            .findModule("jdk.httpserver")
            .map(m -> m.getPackages().contains("sun.net.httpserver"))
            .orElse(false);
    if (jdkProvider && System.getProperty(property) == null) {
      System.setProperty(property, "sun.net.httpserver.DefaultHttpServerProvider");
    }
  }

  /** A reason the shim cannot start. */
  static final class StartupException extends Exception {
    StartupException(String message) {
      super(message);
    }
  }

  /** Obtained on first use: initialising logging is slow, and not needed to start listening. */
  private static System.Logger log() {
    return System.getLogger(ShimMain.class.getName());
  }

  /** Serves until POST /api/shutdown. */
  static void run(ShimOptions options) throws StartupException {
    if (!Files.isRegularFile(options.runnerJar())) {
      throw new StartupException("no runner jar at " + options.runnerJar() + " (--runner-jar)");
    }
    Path java = Path.of(RunnerLaunch.javaBinary(options.javaHome().toString()));
    if (!Files.isExecutable(java)) {
      throw new StartupException("no Java runtime at " + options.javaHome() + " (--java-home)");
    }
    Path runners = options.home().resolve("runners");
    Path cache = options.home().resolve("cache");
    try {
      Files.createDirectories(runners);
      Files.createDirectories(cache);
    } catch (IOException e) {
      throw new StartupException("cannot prepare " + options.home() + ": " + e.getMessage());
    }
    // the mode is settled before listening, so a shim told to use Docker never serves without it
    boolean docker = useDocker(options.mode());

    CompletableFuture<HostInfo> hostInfo = new CompletableFuture<>();
    CompletableFuture<Tasks> tasks = new CompletableFuture<>();
    CountDownLatch stopped = new CountDownLatch(1);
    ShimHttpServer server;
    try {
      server =
          new ShimHttpServer(
              new InetSocketAddress(options.host(), options.port()),
              tasks::join,
              hostInfo,
              stopped::countDown);
    } catch (IOException e) {
      throw new StartupException(
          "cannot listen on %s:%d: %s".formatted(options.host(), options.port(), e.getMessage()));
    }
    server.start();
    InetSocketAddress address = server.address();
    // One write (printf writes each piece apart): whatever the JVM prints to stderr meanwhile, e.g.
    // a warning, must not split the line the server waits for, as both go to one log.
    System.out.println(
        "shim listening on " + address.getAddress().getHostAddress() + ":" + address.getPort());
    System.out.flush();

    // the slower parts after listening: the healthcheck answers meanwhile, task requests wait
    Thread.startVirtualThread(
        () -> {
          try {
            GpuDetector detector = new GpuDetector();
            List<GpuInfo> gpus = detector.detect();
            HostInfo info = HostResources.read(gpus, options.home());
            hostInfo.complete(info);
            writeHostInfo(options.home(), info);
            TaskEngine engine = engine(options, docker, runners, cache, detector.vendor());
            Tasks all =
                new Tasks(
                    engine,
                    new GpuLock(gpus.stream().map(GpuInfo::id).toList()),
                    runners,
                    options.runnerPort());
            all.cleanUpLeftovers();
            tasks.complete(all);
            log()
                .log(
                    Level.INFO,
                    "dstack-shim {0} ({1} mode, {2} GPU(s)), home {3}, runner {4}",
                    ShimApi.VERSION,
                    engine.mode(),
                    gpus.size(),
                    options.home(),
                    options.runnerJar());
          } catch (RuntimeException e) {
            log().log(Level.ERROR, "cannot start", e);
            hostInfo.completeExceptionally(e);
            tasks.completeExceptionally(e);
            stopped.countDown();
          }
        });
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.stop(1);
    log().log(Level.INFO, "dstack-shim stopped");
    if (tasks.isCompletedExceptionally()) {
      throw new StartupException("the shim could not start its engine; see the log above");
    }
  }

  private static boolean useDocker(ShimOptions.Mode mode) throws StartupException {
    if (mode == ShimOptions.Mode.PROCESS) {
      return false;
    }
    Optional<String> unreachable = DockerPing.unreachable(System.getenv());
    if (unreachable.isEmpty()) {
      return true;
    }
    if (mode == ShimOptions.Mode.DOCKER) {
      throw new StartupException("no Docker engine answers: " + unreachable.get());
    }
    log()
        .log(
            Level.INFO,
            "no Docker engine answers ({0}); running tasks as processes",
            unreachable.get());
    return false;
  }

  private static TaskEngine engine(
      ShimOptions options, boolean docker, Path runners, Path cache, String gpuVendor) {
    RunnerLaunch launch =
        new RunnerLaunch(options.javaHome(), options.runnerJar(), options.runnerPort(), cache);
    if (docker) {
      return new DockerTaskEngine(Docker.connect(), launch, options.home(), gpuVendor);
    }
    return new ProcessTaskEngine(launch, runners, options.standbyRunner());
  }

  /** {@code <home>/host_info.json}, which dstack's SSH fleet provisioning reads. */
  private static void writeHostInfo(Path home, HostInfo info) {
    Path file = home.resolve(ShimApi.HOST_INFO_FILE);
    try {
      Path temp = Files.createTempFile(home, ".host_info", ".json");
      Files.writeString(temp, Json.write(info), StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      log().log(Level.WARNING, "cannot write " + file + ": " + e.getMessage());
    }
  }
}
