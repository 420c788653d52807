package ai.dstack.shim;

import ai.dstack.core.agents.shim.ShimApi;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The shim's command line.
 *
 * @param host the address to listen on
 * @param port the port, 0 for a free one
 * @param home the shim's directory: task directories ({@code runners/}) and {@code host_info.json}
 * @param runnerJar the runner's self-contained jar
 * @param javaHome the Java runtime that runs the runner (brought into containers read-only)
 * @param mode how tasks run
 * @param runnerPort the runner's port for tasks that name none
 * @param standbyRunner in process mode, keep a runner started ahead of the next task
 */
record ShimOptions(
    String host,
    int port,
    Path home,
    Path runnerJar,
    Path javaHome,
    Mode mode,
    int runnerPort,
    boolean standbyRunner) {

  /** How tasks run: Docker containers, host processes, or Docker when an engine answers. */
  enum Mode {
    DOCKER,
    PROCESS,
    AUTO
  }

  static final String USAGE =
      """
      usage: dstack-shim --runner-jar PATH [options]
        --host ADDRESS       address to listen on (default 127.0.0.1)
        --port PORT          port to listen on, 0 for a free one (default %d)
        --home DIR           the shim's directory (default ~/.dstack)
        --runner-jar PATH    the runner's self-contained jar (required)
        --java-home PATH     the Java runtime that runs the runner (default: the shim's own)
        --mode MODE          docker, process or auto: docker when an engine answers (default auto)
        --runner-port PORT   the runner's port for tasks that name none (default %d)
        --standby-runner on|off
                             in process mode, keep a runner started ahead of the next task,
                             so the task does not wait for the runner's start (default on)
      """
          .formatted(ShimApi.DEFAULT_PORT, ShimApi.DEFAULT_RUNNER_PORT);

  /** Thrown for a command line that cannot be used; its message says why. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  static ShimOptions parse(List<String> args) throws UsageException {
    String host = "127.0.0.1";
    int port = ShimApi.DEFAULT_PORT;
    Path home = Path.of(System.getProperty("user.home"), ".dstack");
    Path runnerJar = null;
    Path javaHome = Path.of(System.getProperty("java.home"));
    Mode mode = Mode.AUTO;
    int runnerPort = ShimApi.DEFAULT_RUNNER_PORT;
    boolean standbyRunner = true;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (name.equals("--help") || name.equals("-h")) {
        throw new UsageException("");
      }
      if (value == null) {
        if (i + 1 >= args.size()) {
          throw new UsageException(name + " needs a value");
        }
        value = args.get(++i);
      }
      switch (name) {
        case "--host" -> host = value;
        case "--port" -> port = port(name, value);
        case "--home" -> home = Path.of(value);
        case "--runner-jar" -> runnerJar = Path.of(value);
        case "--java-home" -> javaHome = Path.of(value);
        case "--mode" -> mode = mode(value);
        case "--runner-port" -> runnerPort = port(name, value);
        case "--standby-runner" -> standbyRunner = onOff(name, value);
        default -> throw new UsageException("unknown option " + name);
      }
    }
    if (runnerJar == null) {
      throw new UsageException("--runner-jar is required");
    }
    return new ShimOptions(
        host,
        port,
        home.toAbsolutePath().normalize(),
        runnerJar.toAbsolutePath(),
        javaHome,
        mode,
        runnerPort,
        standbyRunner);
  }

  private static boolean onOff(String name, String value) throws UsageException {
    return switch (value) {
      case "on" -> true;
      case "off" -> false;
      default -> throw new UsageException(name + " must be on or off, got " + value);
    };
  }

  private static int port(String name, String value) throws UsageException {
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(name + " must be a port number (0-65535), got " + value);
  }

  private static Mode mode(String value) throws UsageException {
    try {
      return Mode.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--mode must be docker, process or auto, got " + value);
    }
  }
}
