package ai.dstack.orchestrator.testing;

import ai.dstack.orchestrator.DstackServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The server as a separate process ({@code java -cp <the tests' classpath> DstackServer}), its
 * output in a log file, with the environment given and nothing of the tests' own {@code DSTACK_*}
 * settings: how a user runs it, for tests that kill it.
 */
public final class ServerProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final long from;

  private ServerProcess(Process process, Path log, long from) {
    this.process = process;
    this.log = log;
    this.from = from;
  }

  /**
   * Starts a server on {@code port} with {@code env}, {@code user.home} in {@code home}, its output
   * appended to {@code log} (which earlier servers may have written to).
   */
  public static ServerProcess start(Path home, Path log, int port, Map<String, String> env)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(
        List.of(
            "-Duser.home=" + Files.createDirectories(home),
            "-cp",
            System.getProperty("java.class.path"),
            DstackServer.class.getName(),
            "--port",
            Integer.toString(port)));
    var builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().keySet().removeIf(k -> k.startsWith("DSTACK_"));
    builder.environment().put("DSTACK_TEMPORAL_CLI", TemporalCli.path().toString());
    builder.environment().putAll(env);
    long from = Files.exists(log) ? Files.size(log) : 0;
    return new ServerProcess(builder.start(), log, from);
  }

  /**
   * A port free now for a server to listen on, below the kernel's ephemeral range (32768 and up,
   * where port 0 and every outgoing connection take theirs) and below the runners' ports (20000 and
   * up): in the seconds a server takes to bind it, nothing else on the host is handed it.
   */
  public static int freePort() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = 10000 + ThreadLocalRandom.current().nextInt(10000);
      try (var socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IllegalStateException("no free port in 10000..19999");
  }

  /** The process. */
  public Process process() {
    return process;
  }

  /** Waits until this server's output has {@code line}; returns its output so far. */
  public String awaitOutput(String line, Duration timeout)
      throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      String output = output();
      if (output.contains(line)) {
        return output;
      }
      if (!process.isAlive()) {
        throw new AssertionError("the server exited:\n" + output);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no '" + line + "' within " + timeout + ":\n" + output());
  }

  /** What this server printed (the log from where it stood when the server started). */
  public String output() throws IOException {
    if (!Files.exists(log)) {
      return "";
    }
    byte[] all = Files.readAllBytes(log);
    int start = (int) Math.min(from, all.length);
    return new String(all, start, all.length - start, StandardCharsets.UTF_8);
  }

  /** kill -9: the server has no chance to stop anything. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Ctrl-C, and a wait for the server to stop; false when it did not within a minute. */
  public boolean interrupt() throws InterruptedException {
    Processes.signal("INT", process.pid());
    return process.waitFor(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
