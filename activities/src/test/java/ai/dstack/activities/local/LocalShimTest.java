package ai.dstack.activities.local;

import static ai.dstack.activities.local.ShimProcesses.alive;
import static ai.dstack.activities.local.ShimProcesses.await;
import static ai.dstack.activities.local.ShimProcesses.kill;
import static ai.dstack.activities.local.ShimProcesses.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.configurations.Blocks;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local fleet's agent with the real shim, in process mode. */
class LocalShimTest {
  @TempDir Path dir;

  private Path stateDir;
  private final List<LocalShim> agents = new ArrayList<>();
  private final List<Long> pids = new ArrayList<>();

  @BeforeAll
  static void jarsAreBuilt() {
    assertTrue(
        Files.isRegularFile(ShimProcesses.SHIM_JAR),
        "no shim jar at " + ShimProcesses.SHIM_JAR + "; build module shim first");
  }

  @BeforeEach
  void stateDir() {
    stateDir = dir.resolve("local-shim");
  }

  @AfterEach
  void cleanUp() {
    agents.forEach(LocalShim::stop);
    ShimProcesses.cleanUp(stateDir, pids);
  }

  private LocalShim agent(LocalShimSettings settings) {
    var agent = new LocalShim(settings);
    agents.add(agent);
    return agent;
  }

  private LocalShimSettings settingsHere() {
    return settings(stateDir);
  }

  @Test
  void startsAShimInProcessModeAndReportsTheHost() throws Exception {
    var shim = agent(settingsHere());
    var running = shim.start();
    pids.add(running.pid());

    assertFalse(running.adopted());
    assertEquals("process", running.engine());
    assertEquals("127.0.0.1", running.host());
    assertTrue(shim.healthy());
    assertEquals(
        Long.toString(running.pid()),
        Files.readString(stateDir.resolve("shim.pid")).strip(),
        "the pid file names the shim");
    assertTrue(
        ProcessHandle.of(running.pid()).orElseThrow().info().command().orElse("").endsWith("java"),
        "the recorded pid is the shim's JVM itself");

    var host = shim.hostInfo();
    assertEquals(Runtime.getRuntime().availableProcessors(), host.cpus());
    assertTrue(host.memory() > 0 && host.diskSize() > 0, host::toString);

    var instance = shim.instance("i-1", "local-0", Blocks.ONE, OptionalInt.empty());
    assertEquals("local", instance.backend());
    assertEquals(0.0, instance.price());
    assertEquals(running.port(), instance.shimPort());
    assertEquals("127.0.0.1", instance.hostname());
    assertEquals(host.cpus(), instance.resources().cpus());
    assertEquals(host.memory() / (1024 * 1024), instance.resources().memoryMib());
    assertEquals(1, instance.totalBlocks());

    // oversubscribed: more CPUs than the host has, split into as many blocks
    var oversubscribed = shim.instance("i-1", "local-0", Blocks.AUTO, OptionalInt.of(12));
    assertEquals(12, oversubscribed.resources().cpus());
    assertEquals(12, oversubscribed.totalBlocks());
    assertEquals(instance.resources().memoryMib(), oversubscribed.resources().memoryMib());
  }

  @Test
  void runsItsShimInASessionOfItsOwnSoACtrlCReachesTheServerOnly() throws Exception {
    var shim = agent(settingsHere());
    var running = shim.start();
    pids.add(running.pid());
    assertNotEquals(
        ShimProcesses.session(ProcessHandle.current().pid()), ShimProcesses.session(running.pid()));
  }

  @Test
  void aSecondAgentAdoptsTheShimTheFirstLeftRunning() throws Exception {
    var first = agent(settingsHere().withOnShutdown(LocalShim.OnShutdown.KEEP));
    var started = first.start();
    pids.add(started.pid());
    first.stop();
    assertTrue(alive(started.pid()), "on_shutdown keep leaves the shim running");

    var second = agent(settings(stateDir));
    var adopted = second.start();

    assertTrue(adopted.adopted());
    assertEquals(started.pid(), adopted.pid());
    assertEquals(started.port(), adopted.port());
    assertEquals("process", adopted.engine());
    assertTrue(second.healthy());
  }

  @Test
  void adoptsTheShimOfAServerKilledWithSigkill() throws Exception {
    var command =
        List.of(
            ProcessHandle.current().info().command().orElse("java"),
            "-cp",
            System.getProperty("java.class.path"),
            "-Ddstack.shim.jar=" + ShimProcesses.SHIM_JAR,
            "-Ddstack.runner.jar=" + ShimProcesses.RUNNER_JAR,
            ServerStandIn.class.getName(),
            stateDir.toString());
    var server =
        new ProcessBuilder(command).redirectError(dir.resolve("server.log").toFile()).start();
    pids.add(server.pid());
    String ready;
    try (var out =
        new BufferedReader(
            new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
      // the server's log may come first on its stdout
      ready = out.lines().filter(l -> l.startsWith("ready ")).findFirst().orElse(null);
      assertTrue(
          ready != null,
          () -> "the stand-in server did not start: " + read(dir.resolve("server.log")));
      var fields = ready.split(" ");
      var shimPid = Long.parseLong(fields[1]);
      var shimPort = Integer.parseInt(fields[2]);
      pids.add(shimPid);

      server.destroyForcibly(); // kill -9: no shutdown hook, no stop()
      assertTrue(server.waitFor(30, TimeUnit.SECONDS));
      Thread.sleep(500);
      assertTrue(alive(shimPid), "the shim outlives the server that started it");

      var next = agent(settings(stateDir));
      var adopted = next.start();
      assertTrue(adopted.adopted());
      assertEquals(shimPid, adopted.pid());
      assertEquals(shimPort, adopted.port());
    }
  }

  @Test
  void replacesARecordedShimThatWasKilled() throws Exception {
    var first = agent(settingsHere().withOnShutdown(LocalShim.OnShutdown.KEEP));
    var started = first.start();
    first.stop();
    kill(started.pid());

    var second = agent(settings(stateDir));
    var replaced = second.start();
    pids.add(replaced.pid());

    assertFalse(replaced.adopted());
    assertNotEquals(started.pid(), replaced.pid());
    assertEquals(started.port(), replaced.port(), "the new shim takes the recorded port");
    assertTrue(second.healthy());
  }

  @Test
  void takesAnotherPortWhenTheRecordedOneIsTaken() throws Exception {
    var first = agent(settingsHere().withOnShutdown(LocalShim.OnShutdown.KEEP));
    var started = first.start();
    first.stop();
    kill(started.pid());

    try (var squatter =
        new java.net.ServerSocket(
            started.port(), 1, java.net.InetAddress.getByName(started.host()))) {
      var second = agent(settings(stateDir));
      var replaced = second.start();
      pids.add(replaced.pid());

      assertNotEquals(started.port(), replaced.port());
      assertTrue(second.healthy());
      assertEquals(replaced.port(), ShimRecord.read(stateDir).orElseThrow().port());
    }
  }

  @Test
  void replacesARecordedShimThatDoesNotAnswer() throws Exception {
    var first = agent(settingsHere().withOnShutdown(LocalShim.OnShutdown.KEEP));
    var started = first.start();
    pids.add(started.pid());
    first.stop();
    ShimProcesses.signal("STOP", started.pid()); // alive, but deaf

    var second = agent(settings(stateDir));
    var replaced = second.start();
    pids.add(replaced.pid());

    assertFalse(replaced.adopted());
    assertNotEquals(started.pid(), replaced.pid());
    assertFalse(alive(started.pid()), "the deaf shim is stopped, not left beside the new one");
    assertTrue(second.healthy());
  }

  @Test
  void leavesAloneAProcessThatReusedTheRecordedPid() throws Exception {
    var first = agent(settingsHere().withOnShutdown(LocalShim.OnShutdown.KEEP));
    var started = first.start();
    first.stop();
    kill(started.pid());
    var stranger = new ProcessBuilder("sleep", "60").start();
    pids.add(stranger.pid());
    var record = ShimRecord.read(stateDir).orElseThrow();
    new ShimRecord(
            stranger.pid(),
            record.host(),
            record.port(),
            record.engine(),
            record.home(),
            record.startedAt())
        .write(stateDir);

    var second = agent(settings(stateDir));
    var replaced = second.start();
    pids.add(replaced.pid());

    assertFalse(replaced.adopted());
    assertTrue(stranger.isAlive(), "a process that is not this dir's shim is not killed");
  }

  @Test
  void restartsItsShimWhenItDies() throws Exception {
    List<LocalShim.Running> restarts = new CopyOnWriteArrayList<>();
    var shim = new LocalShim(settingsHere(), restarts::add);
    agents.add(shim);
    var first = shim.start();
    pids.add(first.pid());

    kill(first.pid());
    await(
        "a new shim answers",
        Duration.ofSeconds(60),
        () -> shim.running().pid() != first.pid() && shim.healthy());
    pids.add(shim.pid());

    assertEquals(1, restarts.size());
    assertEquals(shim.running(), restarts.getFirst());
    assertEquals(first.port(), shim.port(), "the restarted shim keeps the port");
    assertEquals(Long.toString(shim.pid()), Files.readString(stateDir.resolve("shim.pid")).strip());
  }

  @Test
  void stopStopsAnIdleShim() throws Exception {
    var shim = agent(settingsHere());
    var running = shim.start();
    pids.add(running.pid());

    shim.stop();

    assertFalse(alive(running.pid()));
    assertFalse(Files.exists(stateDir.resolve("shim.json")));
    assertFalse(Files.exists(stateDir.resolve("shim.pid")));
  }

  @Test
  void stopLeavesAShimThatRunsTasksForTheNextServer() throws Exception {
    var shim = agent(settingsHere());
    var running = shim.start();
    pids.add(running.pid());
    ShimProcesses.submitTask(running.port(), "task-1");

    shim.stop();

    try {
      assertTrue(alive(running.pid()), "a shim running jobs outlives a clean server shutdown");
      var next = agent(settings(stateDir).withOnShutdown(LocalShim.OnShutdown.STOP));
      assertEquals(running.pid(), next.start().pid());
    } finally {
      ShimProcesses.removeTasks(running.port());
    }
  }

  @Test
  void stopWithOnShutdownStopStopsAShimThatRunsTasksAndTheirRunners() throws Exception {
    var shim = agent(settingsHere().withOnShutdown(LocalShim.OnShutdown.STOP));
    var running = shim.start();
    pids.add(running.pid());
    ShimProcesses.submitTask(running.port(), "task-1");
    long runner = runnerPid(Duration.ofSeconds(30));
    pids.add(runner);
    assertTrue(alive(runner));

    shim.stop();

    assertFalse(alive(running.pid()));
    // The runner lives in a session of its own: left alone it would outlive the shim for good.
    await("the task's runner is stopped too", Duration.ofSeconds(10), () -> !alive(runner));
  }

  /** The pid of the one runner the shim started in this state dir, once it has written it. */
  private long runnerPid(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try (var files = Files.walk(stateDir.resolve("home"))) {
        var pidFile =
            files.filter(f -> f.getFileName().toString().equals("runner.pid")).findFirst();
        if (pidFile.isPresent() && !Files.readString(pidFile.get()).isBlank()) {
          return Long.parseLong(Files.readString(pidFile.get()).strip());
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no runner started within " + timeout);
  }

  @Test
  void aForcedModeTheHostCannotRunFailsWithTheShimsReason() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeFalse(
        DockerEngineCheck.answers(), "a Docker engine answers here, so docker mode starts");
    var shim = agent(settingsHere().withMode(LocalShim.Mode.DOCKER));
    var e = assertThrows(java.io.IOException.class, shim::start);
    assertTrue(e.getMessage().contains("no Docker engine answers"), e::getMessage);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return "(" + e + ")";
    }
  }
}
