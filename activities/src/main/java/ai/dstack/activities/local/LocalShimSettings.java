package ai.dstack.activities.local;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the server runs the shim of its {@code local} fleet.
 *
 * @param stateDir where the shim's state lives, e.g. {@code <server dir>/local-shim}: its pid and
 *     port ({@code shim.pid}, {@code shim.json}), its log ({@code shim.log}) and its home ({@code
 *     home/})
 * @param shimJar the shim's self-contained jar
 * @param runnerJar the runner's self-contained jar, which the shim starts for each job
 * @param javaHome the Java runtime that runs the shim (and, through it, the runner)
 * @param mode how the shim runs jobs
 * @param onShutdown what a clean server shutdown does with the shim
 * @param port the port the first shim listens on, 0 for any free port; later shims reuse the
 *     recorded port so the fleet's instance keeps its address
 * @param checkInterval how often supervision checks that the shim lives and answers
 * @param startTimeout how long a shim may take to listen and set up its engine
 * @param maxBackoff the longest wait between two restarts of a shim that keeps dying
 */
public record LocalShimSettings(
    Path stateDir,
    Path shimJar,
    Path runnerJar,
    Path javaHome,
    LocalShim.Mode mode,
    LocalShim.OnShutdown onShutdown,
    int port,
    Duration checkInterval,
    Duration startTimeout,
    Duration maxBackoff) {

  public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(2);
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(2);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(1);

  public LocalShimSettings {
    if (stateDir == null || shimJar == null || runnerJar == null) {
      throw new IllegalArgumentException(
          "the local shim needs a state dir, a shim jar and a runner jar");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
    }
    stateDir = stateDir.toAbsolutePath().normalize();
    shimJar = shimJar.toAbsolutePath().normalize();
    runnerJar = runnerJar.toAbsolutePath().normalize();
    javaHome = javaHome == null ? Path.of(System.getProperty("java.home")) : javaHome;
    mode = mode == null ? LocalShim.Mode.AUTO : mode;
    onShutdown = onShutdown == null ? LocalShim.OnShutdown.STOP_WHEN_IDLE : onShutdown;
    checkInterval = checkInterval == null ? DEFAULT_CHECK_INTERVAL : checkInterval;
    startTimeout = startTimeout == null ? DEFAULT_START_TIMEOUT : startTimeout;
    maxBackoff = maxBackoff == null ? DEFAULT_MAX_BACKOFF : maxBackoff;
  }

  /** The defaults: this JVM's runtime, mode auto, stop when idle, any free port. */
  public static LocalShimSettings of(Path stateDir, Path shimJar, Path runnerJar) {
    return new LocalShimSettings(
        stateDir, shimJar, runnerJar, null, null, null, 0, null, null, null);
  }

  public LocalShimSettings withMode(LocalShim.Mode mode) {
    return new LocalShimSettings(
        stateDir,
        shimJar,
        runnerJar,
        javaHome,
        mode,
        onShutdown,
        port,
        checkInterval,
        startTimeout,
        maxBackoff);
  }

  public LocalShimSettings withOnShutdown(LocalShim.OnShutdown onShutdown) {
    return new LocalShimSettings(
        stateDir,
        shimJar,
        runnerJar,
        javaHome,
        mode,
        onShutdown,
        port,
        checkInterval,
        startTimeout,
        maxBackoff);
  }

  public LocalShimSettings withPort(int port) {
    return new LocalShimSettings(
        stateDir,
        shimJar,
        runnerJar,
        javaHome,
        mode,
        onShutdown,
        port,
        checkInterval,
        startTimeout,
        maxBackoff);
  }

  public LocalShimSettings withCheckInterval(Duration checkInterval) {
    return new LocalShimSettings(
        stateDir,
        shimJar,
        runnerJar,
        javaHome,
        mode,
        onShutdown,
        port,
        checkInterval,
        startTimeout,
        maxBackoff);
  }

  public LocalShimSettings withMaxBackoff(Duration maxBackoff) {
    return new LocalShimSettings(
        stateDir,
        shimJar,
        runnerJar,
        javaHome,
        mode,
        onShutdown,
        port,
        checkInterval,
        startTimeout,
        maxBackoff);
  }

  /** The shim's home: its task directories and {@code host_info.json}. */
  Path home() {
    return stateDir.resolve("home");
  }

  /** The shim's output, appended by each shim this directory has had. */
  Path log() {
    return stateDir.resolve("shim.log");
  }
}
