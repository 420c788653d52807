package ai.dstack.sdk.testing;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real dstack server for the tests, as a user runs it: a separate process ({@code java -cp <this
 * test class path> ai.dstack.orchestrator.DstackServer}) with embedded defaults, in a directory of
 * its own (SQLite, its own Temporal dev server, its {@code local} fleet running jobs as processes),
 * on a free port. {@link #close()} stops it with Ctrl-C (SIGINT), then kills what is left: the
 * server, its dev server, its shim and the shim's runners.
 */
public final class LocalServer implements AutoCloseable {

  /** The project every new server has. */
  public static final String PROJECT = "main";

  private static final String MAIN_CLASS = "ai.dstack.orchestrator.DstackServer";
  private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
  private static final Pattern RUNNING_AT =
      Pattern.compile("The dstack server is running at (http://\\S+)");

  private final Path root;
  private final Process process;
  private final String token;
  private final String url;

  private LocalServer(Path root, Process process, String token, String url) {
    this.root = root;
    this.process = process;
    this.token = token;
    this.url = url;
  }

  /**
   * Starts a server and waits until it serves; {@code env} adds to or overrides its environment
   * (e.g. {@code DSTACK_LOCAL_FLEET_CPUS}).
   */
  public static LocalServer start(Map<String, String> env) {
    Path root;
    try {
      root = Files.createTempDirectory("dstack-sdk-server-");
      Files.createDirectories(root.resolve("home"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String token = UUID.randomUUID().toString();
    List<String> command =
        List.of(
            ProcessHandle.current().info().command().orElse("java"),
            "-Duser.home=" + root.resolve("home"),
            "-cp",
            System.getProperty("java.class.path"),
            MAIN_CLASS,
            "--port",
            "0",
            "--token",
            token,
            "-y");
    var builder =
        new ProcessBuilder(command)
            .directory(repositoryRoot().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("server.log").toFile()));
    var environment = builder.environment();
    environment.keySet().removeIf(k -> k.startsWith("DSTACK_"));
    environment.put("DSTACK_SERVER_DIR", root.resolve("server").toString());
    environment.put("DSTACK_TEMPORAL_CLI", temporalCli().toString());
    environment.put("DSTACK_TEMPORAL_PORT", "0");
    environment.put("DSTACK_TEMPORAL_UI_PORT", "0");
    environment.put("DSTACK_LOCAL_FLEET_MODE", "process");
    environment.putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the server: " + command, e);
    }
    var server = new LocalServer(root, process, token, null);
    try {
      return new LocalServer(root, process, token, server.awaitUrl());
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
  }

  /** The server's URL, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return url;
  }

  /** The admin's token. */
  public String token() {
    return token;
  }

  /** The project every new server has, {@value #PROJECT}. */
  public String project() {
    return PROJECT;
  }

  /** The home directory the server runs with: it writes {@code .dstack/config.yml} there. */
  public Path home() {
    return root.resolve("home");
  }

  /** The server's output so far. */
  public String output() {
    Path log = root.resolve("server.log");
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  /** A URL where nothing listens. */
  public static String deadUrl() {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the server with SIGINT, then kills it and what it started, and removes its files. */
  @Override
  public void close() {
    List<ProcessHandle> spawned = new ArrayList<>(process.descendants().toList());
    if (process.isAlive()) {
      signal("INT", process.pid());
      try {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
    Path server = root.resolve("server");
    for (Path pidFile :
        List.of(server.resolve("temporal/dev-server.pid"), server.resolve("local-shim/shim.pid"))) {
      pid(pidFile).flatMap(ProcessHandle::of).ifPresent(spawned::add);
    }
    // Runners the shim started live in process groups of their own; their command lines name the
    // shim's directory.
    String shimHome = server.resolve("local-shim").toString();
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      all.filter(p -> p.info().commandLine().orElse("").contains(shimHome)).forEach(spawned::add);
    }
    spawned.forEach(ProcessHandle::destroyForcibly);
    delete(root);
  }

  private String awaitUrl() {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      String output = output();
      var running = RUNNING_AT.matcher(output);
      if (running.find()) {
        return running.group(1);
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("the server exited at start-up:\n" + output);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the server started", e);
      }
    }
    throw new IllegalStateException(
        "the server did not start within " + START_TIMEOUT + ":\n" + output());
  }

  private static java.util.Optional<Long> pid(Path pidFile) {
    try {
      if (!Files.exists(pidFile)) {
        return java.util.Optional.empty();
      }
      String text = Files.readString(pidFile);
      if (text.contains("pid=")) {
        var properties = new Properties();
        properties.load(new StringReader(text));
        return java.util.Optional.of(Long.parseLong(properties.getProperty("pid").strip()));
      }
      return java.util.Optional.of(Long.parseLong(text.strip()));
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  private static void signal(String signal, long pid) {
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
          .redirectErrorStream(true)
          .start()
          .waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp dir is harmless
    }
  }

  private static Path temporalCli;

  /** The {@code temporal} binary, installed by {@code scripts/ensure-temporal.sh} when missing. */
  private static synchronized Path temporalCli() {
    if (temporalCli == null) {
      Path script = repositoryRoot().resolve("scripts/ensure-temporal.sh");
      try {
        Process process =
            new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
          throw new IllegalStateException(script + " failed:\n" + output);
        }
        String[] lines = output.strip().split("\n");
        temporalCli = Path.of(lines[lines.length - 1].strip());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      if (!Files.isExecutable(temporalCli)) {
        throw new IllegalStateException("no temporal binary at " + temporalCli);
      }
    }
    return temporalCli;
  }

  /**
   * The repository's root: the directory above the working directory holding {@code scripts/mvn}.
   */
  public static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("scripts").resolve("mvn"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("run the tests from inside the repository");
    }
    return dir;
  }
}
