package ai.dstack.orchestrator.fleets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.dstack.orchestrator.testing.Api;
import ai.dstack.orchestrator.testing.DockerEngine;
import ai.dstack.orchestrator.testing.DstackClient;
import ai.dstack.orchestrator.testing.Processes;
import ai.dstack.orchestrator.testing.RunRequests;
import ai.dstack.orchestrator.testing.ServerProcess;
import ai.dstack.workflows.fleets.FleetWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local fleet as a user runs the server: a separate process with embedded defaults (its own
 * Temporal dev server, SQLite), whose local fleet comes up at once, survives a kill -9 of the
 * server (the next server adopts the same shim and keeps the fleet's workflow) or of its dev server
 * (the server starts it again), and goes with Ctrl-C; and one that runs without it.
 */
class LocalFleetProcessTest {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  private static final Pattern SHIM =
      Pattern.compile("Local fleet: shim pid (\\d+) on [^:]+:(\\d+)");

  @TempDir Path tmp;

  private final List<ServerProcess> started = new ArrayList<>();

  @AfterEach
  void cleanUp() throws IOException {
    started.forEach(ServerProcess::close);
    for (var pidFile :
        List.of(
            tmp.resolve("server/temporal/dev-server.pid"),
            tmp.resolve("server/local-shim/shim.pid"))) {
      if (Files.exists(pidFile)) {
        ProcessHandle.of(pid(pidFile)).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
    // Runners the shim started live in process groups of their own.
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      String home = tmp.resolve("server/local-shim").toString();
      all.filter(p -> p.info().commandLine().orElse("").contains(home))
          .forEach(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void theLocalFleetComesUpIsAdoptedAfterAKillFollowsItsShimAndGoesWithCtrlC() throws Exception {
    int port = ServerProcess.freePort();
    String url = "http://127.0.0.1:" + port;
    ServerProcess first = start(port, Map.of("DSTACK_LOCAL_FLEET_MODE", "process"));
    String firstOutput = first.awaitOutput("The dstack server is running at " + url, START_TIMEOUT);
    String token = Files.readString(tmp.resolve("server/admin-token")).strip();

    var shim = SHIM.matcher(firstOutput);
    assertTrue(shim.find(), firstOutput);
    long shimPid = Long.parseLong(shim.group(1));
    int shimPort = Integer.parseInt(shim.group(2));
    assertTrue(firstOutput.contains("(started, process mode)"), firstOutput);
    assertTrue(firstOutput.contains("this host: "), firstOutput);
    assertTrue(firstOutput.contains("workflow fleet/*/local (started)"), firstOutput);
    assertTrue(alive(shimPid));

    Api api = new Api(url);
    Api.Response listed = api.post("/api/project/main/fleets/list", token, Map.of());
    assertEquals(200, listed.status(), listed.toString());
    assertEquals("local", listed.json().path(0).path("name").asString());
    assertEquals(
        Runtime.getRuntime().availableProcessors(),
        listed
            .json()
            .path(0)
            .path("instances")
            .path(0)
            .path("instance_type")
            .path("resources")
            .path("cpus")
            .asInt());
    String runId = fleetRunId();
    assertEquals(shimPort, fleetView().instances().getFirst().instance().shimPort());

    Path clientHome = Files.createDirectories(tmp.resolve("client-home"));
    DstackClient.cli(
        clientHome, "project", "add", "--name", "main", "--url", url, "--token", token, "-y");
    Processes.Result fleets = DstackClient.cli(clientHome, "fleet");
    assertEquals(0, fleets.exitCode(), fleets.output());
    assertTrue(fleets.output().contains("local"), fleets.output());
    assertTrue(fleets.output().contains("instance=0"), fleets.output());
    assertFalse(fleets.output().contains("Traceback"), fleets.output());

    first.kill();
    assertTrue(alive(shimPid), "a killed server leaves its shim running");

    ServerProcess second = start(port, Map.of("DSTACK_LOCAL_FLEET_MODE", "process"));
    String secondOutput =
        second.awaitOutput("The dstack server is running at " + url, START_TIMEOUT);
    var adopted = SHIM.matcher(secondOutput);
    assertTrue(adopted.find(), secondOutput);
    assertEquals(shimPid, Long.parseLong(adopted.group(1)), secondOutput);
    assertEquals(shimPort, Integer.parseInt(adopted.group(2)), secondOutput);
    assertTrue(secondOutput.contains("(adopted, process mode)"), secondOutput);
    assertTrue(secondOutput.contains("workflow fleet/*/local (running, kept)"), secondOutput);
    assertEquals(runId, fleetRunId(), "the fleet's workflow and its queue live on");
    Api.Response again = api.post("/api/project/main/fleets/list", token, Map.of());
    assertEquals(listed.json().path(0).path("id"), again.json().path(0).path("id"));

    // Server and shim killed, the shim's port taken: the next shim listens on another port, and
    // the workflow that runs on is told the new address.
    second.kill();
    var dead = ProcessHandle.of(shimPid).orElseThrow();
    dead.destroyForcibly();
    dead.onExit().get();
    ServerProcess third;
    String thirdOutput;
    try (var taken = new ServerSocket(shimPort, 1, InetAddress.getLoopbackAddress())) {
      third = start(port, Map.of("DSTACK_LOCAL_FLEET_MODE", "process"));
      thirdOutput = third.awaitOutput("The dstack server is running at " + url, START_TIMEOUT);
    }
    var replaced = SHIM.matcher(thirdOutput);
    assertTrue(replaced.find(), thirdOutput);
    long newShimPid = Long.parseLong(replaced.group(1));
    int newShimPort = Integer.parseInt(replaced.group(2));
    assertTrue(newShimPort != shimPort, thirdOutput);
    assertTrue(thirdOutput.contains("(running, instance updated)"), thirdOutput);
    assertEquals(runId, fleetRunId(), "the fleet's workflow and its queue live on");
    assertEquals(newShimPort, fleetView().instances().getFirst().instance().shimPort());

    assertTrue(third.interrupt(), "the server did not stop on SIGINT");
    awaitGone(ProcessHandle.of(newShimPid).stream().toList());
    assertFalse(Files.exists(tmp.resolve("server/local-shim/shim.pid")));
  }

  @Test
  void aRunningTaskLivesThroughAKillOfTheServerWithCompleteLogs() throws Exception {
    int port = ServerProcess.freePort();
    ServerProcess first = start(port, Map.of("DSTACK_LOCAL_FLEET_MODE", "process"));
    var runs = ticking(first, port, "survivor", 0.25);

    first.kill();
    ServerProcess second = start(port, Map.of("DSTACK_LOCAL_FLEET_MODE", "process"));
    second.awaitOutput("The dstack server is running at http://127.0.0.1:" + port, START_TIMEOUT);

    assertDoneWithEveryTickOnce(runs, "survivor");
  }

  @Test
  void aRunningTaskLivesThroughAKillOfTheTemporalDevServerWithCompleteLogs() throws Exception {
    int port = ServerProcess.freePort();
    ServerProcess server = start(port, Map.of("DSTACK_LOCAL_FLEET_MODE", "process"));
    var runs = ticking(server, port, "steady", 0.15);
    // The shim, the runner and the job's processes, and the dev server about to be killed.
    List<ProcessHandle> spawned = new ArrayList<>(server.process().descendants().toList());

    Path devServerPid = tmp.resolve("server/temporal/dev-server.pid");
    long killed = pid(devServerPid);
    Processes.signal("KILL", killed);
    String restart = server.awaitOutput("The Temporal dev server is back", START_TIMEOUT);

    assertTrue(restart.contains("The Temporal dev server (pid " + killed + ") died"), restart);
    long restarted = pid(devServerPid);
    assertNotEquals(killed, restarted);
    assertDoneWithEveryTickOnce(runs, "steady");

    spawned.addAll(server.process().descendants().toList());
    assertTrue(spawned.stream().anyMatch(p -> p.pid() == restarted), "the server's own child");
    assertTrue(server.interrupt(), "the server did not stop on SIGINT");
    awaitGone(spawned);
    assertFalse(Files.exists(devServerPid));
  }

  @Test
  void aRunningTaskLivesThroughAKillOfTheShimWithCompleteLogs() throws Exception {
    int port = ServerProcess.freePort();
    ServerProcess server = start(port, Map.of("DSTACK_LOCAL_FLEET_MODE", "process"));
    var runs = ticking(server, port, "orphan", 0.15);

    long killed = pid(tmp.resolve("server/local-shim/shim.pid"));
    Processes.signal("KILL", killed);
    server.awaitOutput("The local shim (pid " + killed + ", port", START_TIMEOUT);

    // the next shim takes the task over: its runner and job run on, nothing is resubmitted
    assertDoneWithEveryTickOnce(runs, "orphan");
    assertTrue(server.interrupt(), "the server did not stop on SIGINT");
  }

  /**
   * Once {@code server} (on {@code port}) runs, applies run {@code name}, the {@link #ticks} task,
   * and waits for it to run and print 5 ticks; the requests go through the admin's token.
   */
  private RunRequests ticking(ServerProcess server, int port, String name, double seconds)
      throws Exception {
    String url = "http://127.0.0.1:" + port;
    server.awaitOutput("The dstack server is running at " + url, START_TIMEOUT);
    String token = Files.readString(tmp.resolve("server/admin-token")).strip();
    var runs = new RunRequests(new Api(url), token);
    runs.apply("main", name, List.of(ticks(seconds)));
    var run = runs.awaitRunningWithLines("main", name, "tick ", 5, START_TIMEOUT);
    assertEquals("running", run.path("status").asString(), run.toString());
    return runs;
  }

  /** A task printing {@code tick 1} to {@code tick 60}, {@code seconds} apart. */
  private static String ticks(double seconds) {
    return "for i in $(seq 1 60); do echo \"tick $i\"; sleep " + seconds + "; done";
  }

  /** Waits for run {@code name} to finish; it is done, once, with every tick logged once. */
  private static void assertDoneWithEveryTickOnce(RunRequests runs, String name) {
    var done = runs.awaitFinished("main", name, Duration.ofMinutes(4));
    assertEquals("done", done.path("status").asString(), done.toString());
    assertEquals(1, done.path("jobs").path(0).path("job_submissions").size(), "no resubmission");
    var expected = new ArrayList<String>();
    for (int i = 1; i <= 60; i++) {
      expected.add("tick " + i);
    }
    // dstack's `bash -i` prints two job-control notices first: the runner gives it no terminal.
    var printed = runs.logs("main", done).lines().filter(l -> !l.startsWith("bash: ")).toList();
    assertEquals(expected, printed, "every line once, in order");
  }

  @Test
  void dockerModeRunsTheShimWithTheEngine() throws Exception {
    requireDocker();
    ServerProcess server = start(0, Map.of("DSTACK_LOCAL_FLEET_MODE", "docker"));

    String output = server.awaitOutput("The dstack server is running at http://", START_TIMEOUT);
    String url = url(output);

    assertTrue(output.contains("docker mode)"), output);
    String token = Files.readString(tmp.resolve("server/admin-token")).strip();
    Api.Response listed = new Api(url).post("/api/project/main/fleets/list", token, Map.of());
    assertEquals("idle", listed.json().path(0).path("instances").path(0).path("status").asString());
  }

  @Test
  void withTheLocalFleetOffThereIsNoFleetAndNoShim() throws Exception {
    ServerProcess server = start(0, Map.of("DSTACK_LOCAL_FLEET", "false"));

    String output = server.awaitOutput("The dstack server is running at http://", START_TIMEOUT);
    String url = url(output);

    assertTrue(output.contains("Local fleet: off (DSTACK_LOCAL_FLEET=false)"), output);
    assertFalse(Files.exists(tmp.resolve("server/local-shim/shim.pid")));
    String token = Files.readString(tmp.resolve("server/admin-token")).strip();
    Api.Response listed = new Api(url).post("/api/project/main/fleets/list", token, Map.of());
    assertEquals("[]", listed.text());
  }

  @Test
  void blocksThatDoNotDivideTheHostStopStartUpWithAClearMessage() throws Exception {
    int blocks = Runtime.getRuntime().availableProcessors() + 1;
    ServerProcess server =
        start(
            0,
            Map.of(
                "DSTACK_LOCAL_FLEET_MODE",
                "process",
                "DSTACK_LOCAL_FLEET_BLOCKS",
                Integer.toString(blocks)));

    assertTrue(server.process().waitFor(180, TimeUnit.SECONDS));
    String output = server.output();
    assertEquals(1, server.process().exitValue(), output);
    assertTrue(output.contains("DSTACK_LOCAL_FLEET_BLOCKS=" + blocks), output);
    assertTrue(output.contains("DSTACK_LOCAL_FLEET=false runs the server without it"), output);
    // the shim it started for nothing is gone
    assertFalse(Files.exists(tmp.resolve("server/local-shim/shim.pid")), output);
  }

  // ---- The server process. ----

  private ServerProcess start(int port, Map<String, String> env) throws IOException {
    var all = new HashMap<String, String>();
    all.put("DSTACK_SERVER_DIR", tmp.resolve("server").toString());
    all.put("DSTACK_TEMPORAL_PORT", "0");
    all.put("DSTACK_TEMPORAL_UI_PORT", "0");
    all.putAll(env);
    var server =
        ServerProcess.start(tmp.resolve("server-home"), tmp.resolve("server.log"), port, all);
    started.add(server);
    return server;
  }

  private static final Pattern RUNNING_AT =
      Pattern.compile("The dstack server is running at (http://\\S+) ");

  /** The URL start-up reports (the port 0 took). */
  private static String url(String output) {
    var running = RUNNING_AT.matcher(output);
    assertTrue(running.find(), output);
    return running.group(1);
  }

  // ---- The fleet's workflow, in the server's own dev server. ----

  private <T> T withClient(java.util.function.Function<WorkflowClient, T> call) throws IOException {
    Properties devServer = new Properties();
    try (var in = Files.newInputStream(tmp.resolve("server/temporal/dev-server.pid"))) {
      devServer.load(in);
    }
    var stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget("127.0.0.1:" + devServer.getProperty("port"))
                .build());
    try {
      return call.apply(WorkflowClient.newInstance(stubs));
    } finally {
      stubs.shutdownNow();
    }
  }

  private String fleetRunId() throws IOException {
    return withClient(
        client ->
            client
                .newUntypedWorkflowStub(LocalFleet.WORKFLOW_ID)
                .describe()
                .getExecution()
                .getRunId());
  }

  private ai.dstack.workflows.fleets.FleetView fleetView() throws IOException {
    return withClient(
        client -> client.newWorkflowStub(FleetWorkflow.class, LocalFleet.WORKFLOW_ID).view());
  }

  // ---- Processes and ports. ----

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static void awaitGone(List<ProcessHandle> processes) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    for (ProcessHandle process : processes) {
      while (process.isAlive()) {
        if (Instant.now().isAfter(deadline)) {
          fail(
              "pid "
                  + process.pid()
                  + " ("
                  + process.info().commandLine().orElse("?")
                  + ") still runs after the server stopped");
        }
        Thread.sleep(100);
      }
    }
  }

  private static long pid(Path pidFile) throws IOException {
    String text = Files.readString(pidFile);
    if (text.contains("pid=")) {
      Properties properties = new Properties();
      properties.load(new java.io.StringReader(text));
      return Long.parseLong(properties.getProperty("pid"));
    }
    return Long.parseLong(text.strip());
  }

  /** Docker mode needs an engine: see {@link DockerEngine#assume()}. */
  private static void requireDocker() {
    DockerEngine.assume();
  }
}
