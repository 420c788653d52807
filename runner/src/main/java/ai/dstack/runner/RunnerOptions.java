package ai.dstack.runner;

import ai.dstack.core.agents.runner.RunnerApi;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The runner's command line.
 *
 * @param host the address to listen on
 * @param port the port to listen on; 0 picks a free one
 * @param home the runner's working area: logs, uploads, the default repo dir, the MPI hostfile
 * @param workDir the job's working dir when its spec names none: the runner's own by default
 * @param startTimeout how long to wait for a job to be run before giving up and exiting
 * @param logsTimeout how long to wait, once the job is over, for its last events to be pulled
 * @param standby start, then wait for the rest of the options on standard input (one argument a
 *     line, then an empty line) before serving: a runner started ahead of its task
 * @param help print the usage and exit
 * @param version print the version and exit
 */
record RunnerOptions(
    String host,
    int port,
    Path home,
    Path workDir,
    Duration startTimeout,
    Duration logsTimeout,
    boolean standby,
    boolean help,
    boolean version) {

  static final String USAGE =
      """
      usage: dstack-runner [--host ADDRESS] [--port PORT] [--home DIR] [--workdir DIR]
                           [--start-timeout SECONDS] [--logs-timeout SECONDS] [--standby]
        --host ADDRESS           address to listen on (default 127.0.0.1)
        --port PORT              port to listen on, 0 for a free one (default 10999)
        --home DIR               working area: logs, uploads, default repo dir (default /tmp/runner)
        --workdir DIR            the job's working dir when its spec names none (default: the
                                 runner's current directory)
        --start-timeout SECONDS  exit when no job is run within this time (default 300)
        --logs-timeout SECONDS   exit when the finished job's last events are not pulled
                                 within this time (default 300)
        --standby                start, then read more options from standard input, one
                                 argument a line up to an empty line, before serving (a runner
                                 started ahead of its task; end of input exits)
      Prints "runner listening on ADDRESS:PORT" on stdout once it serves the API.
      """;

  /** The options in {@code args}; throws IllegalArgumentException, saying what is wrong. */
  static RunnerOptions parse(String... args) {
    String host = "127.0.0.1";
    int port = RunnerApi.DEFAULT_PORT;
    Path home = Path.of("/tmp/runner");
    Path workDir = Path.of(System.getProperty("user.dir"));
    Duration startTimeout = Duration.ofMinutes(5);
    Duration logsTimeout = Duration.ofMinutes(5);
    boolean standby = false;
    boolean help = false;
    boolean version = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      switch (name) {
        case "--help", "-h" -> help = true;
        case "--version" -> version = true;
        case "--standby" -> standby = true;
        case "--host", "--port", "--home", "--workdir", "--start-timeout", "--logs-timeout" -> {
          if (value == null) {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException(name + " needs a value");
            }
            value = args[++i];
          }
          switch (name) {
            case "--host" -> host = value;
            case "--port" -> port = parsePort(value);
            case "--home" -> home = Path.of(value);
            case "--workdir" -> workDir = Path.of(value);
            case "--start-timeout" -> startTimeout = parseSeconds(name, value);
            default -> logsTimeout = parseSeconds(name, value);
          }
        }
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    return new RunnerOptions(
        host,
        port,
        home.toAbsolutePath().normalize(),
        workDir.toAbsolutePath().normalize(),
        startTimeout,
        logsTimeout,
        standby,
        help,
        version);
  }

  private static int parsePort(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--port must be a number from 0 to 65535, not " + value);
  }

  private static Duration parseSeconds(String name, String value) {
    try {
      long seconds = Long.parseLong(value);
      if (seconds > 0) {
        return Duration.ofSeconds(seconds);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        name + " must be a positive number of seconds, not " + value);
  }
}
