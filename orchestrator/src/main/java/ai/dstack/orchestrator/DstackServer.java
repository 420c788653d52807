package ai.dstack.orchestrator;

import ai.dstack.orchestrator.temporal.DevServerAhead;
import ai.dstack.orchestrator.users.SshKeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dstack server}: the HTTP API, the Temporal workers, and with embedded defaults a
 * supervised Temporal dev server and SQLite, all under {@code ~/.dstack/server}. Takes the flags of
 * dstack's {@code dstack server}; each overrides the environment variable named beside it.
 */
@SpringBootApplication(scanBasePackages = {"ai.dstack.orchestrator", "ai.dstack.activities"})
@Command(
    name = "dstack server",
    mixinStandardHelpOptions = true,
    description = "Start a server",
    versionProvider = DstackServer.Version.class)
public class DstackServer implements Callable<Integer> {

  /** Exit status when start-up fails. */
  static final int STARTUP_FAILED = 1;

  @Option(
      names = "--host",
      description = "Bind socket to this host. Defaults to 127.0.0.1 (DSTACK_SERVER_HOST)")
  String host;

  @Option(
      names = {"-p", "--port"},
      description = "Bind socket to this port. Defaults to 3000 (DSTACK_SERVER_PORT)")
  Integer port;

  @Option(
      names = {"-l", "--log-level"},
      description = "Server logging level. Defaults to INFO (DSTACK_SERVER_LOG_LEVEL)")
  String logLevel;

  @Option(
      names = {"-d", "--debug"},
      description = "Enable debug logging level (same as -l debug)")
  boolean debug;

  @Option(
      names = {"-y", "--yes"},
      description = "Don't ask for confirmation (e.g. update the config)")
  boolean yes;

  @Option(
      names = {"-n", "--no"},
      description = "Don't ask for confirmation (e.g. do not update the config)")
  boolean no;

  @Option(names = "--token", description = "The admin user token (DSTACK_SERVER_ADMIN_TOKEN)")
  String token;

  public static void main(String[] args) {
    CommandLine command = new CommandLine(new DstackServer());
    int exitCode = command.execute(args);
    if (exitCode != 0 || command.isUsageHelpRequested() || command.isVersionHelpRequested()) {
      System.exit(exitCode);
    }
    // Otherwise the server runs until it is stopped (Ctrl-C, SIGTERM).
  }

  @Override
  public Integer call() {
    SpringApplication application = new SpringApplication(DstackServer.class);
    application.setBannerMode(Banner.Mode.OFF);
    application.addListeners(new KeysAhead());
    application.addInitializers(new DevServerAhead());
    try {
      application.run(springArguments().toArray(String[]::new));
      return 0;
    } catch (RuntimeException e) {
      System.err.println("The dstack server failed to start: " + rootMessage(e));
      return STARTUP_FAILED;
    }
  }

  /**
   * On a first start (no admin token kept in the server dir yet), the admin's and the {@code main}
   * project's SSH key pairs are generated in the background while the rest starts: RSA key
   * generation is the slowest step of a first start on a small machine.
   */
  static final class KeysAhead implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {
    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
      String dir = event.getEnvironment().getProperty("dstack.server.dir");
      if (dir != null && !dir.isBlank() && !Files.exists(Path.of(dir).resolve("admin-token"))) {
        SshKeyPair.generateAhead(2);
      }
    }
  }

  /** The flags as Spring properties; command-line properties win over the environment. */
  List<String> springArguments() {
    List<String> arguments = new ArrayList<>();
    if (host != null) {
      arguments.add("--dstack.server.host=" + host);
    }
    if (port != null) {
      arguments.add("--dstack.server.port=" + port);
    }
    if (token != null) {
      arguments.add("--dstack.server.admin.token=" + token);
    }
    String level =
        debug ? "DEBUG" : logLevel != null ? logLevel : System.getenv("DSTACK_SERVER_LOG_LEVEL");
    if (level != null) {
      arguments.add("--logging.level.ai.dstack=" + logbackLevel(level));
    }
    if (yes || System.getenv("DSTACK_UPDATE_DEFAULT_PROJECT") != null) {
      arguments.add("--dstack.server.update-default-project=yes");
    }
    if (no || System.getenv("DSTACK_DO_NOT_UPDATE_DEFAULT_PROJECT") != null) {
      arguments.add("--dstack.server.update-default-project=no");
    }
    return arguments;
  }

  /** dstack's (Python's) level names as Logback's: WARNING is WARN, CRITICAL is ERROR. */
  static String logbackLevel(String level) {
    String upper = level.strip().toUpperCase(Locale.ROOT);
    return switch (upper) {
      case "WARNING" -> "WARN";
      case "CRITICAL", "FATAL" -> "ERROR";
      case "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF" -> upper;
      default ->
          throw new CommandLine.ParameterException(
              new CommandLine(new DstackServer()),
              "Unknown log level '" + level + "'; use debug, info, warning or error");
    };
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }

  /** {@code --version}: the dstack API version the server speaks. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "dstack server " + ai.dstack.orchestrator.api.ClientVersion.SERVER_VERSION
      };
    }
  }
}
