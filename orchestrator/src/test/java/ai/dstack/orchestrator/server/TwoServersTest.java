package ai.dstack.orchestrator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.orchestrator.testing.Api;
import ai.dstack.orchestrator.testing.LocalPostgres;
import ai.dstack.orchestrator.testing.RunRequests;
import ai.dstack.orchestrator.testing.ServerProcess;
import ai.dstack.orchestrator.testing.SharedTemporal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Production's shape: two server processes on one PostgreSQL database and one Temporal cluster
 * share the API and the workers. The first has the local fleet, the second none; the first is
 * killed while its task runs, and the second carries the run to its end (its workers take over the
 * job's activities, against the shim the first left running) with every log line once, in order.
 * They share a server dir, where the logs and the secrets' key live, as replicas on one host would
 * (on several hosts, a shared volume).
 */
class TwoServersTest {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  private static final String TOKEN = "two-servers-admin-token";

  @TempDir Path tmp;

  private final List<ServerProcess> started = new ArrayList<>();

  @AfterEach
  void cleanUp() throws IOException {
    started.forEach(ServerProcess::close);
    Path shimPid = tmp.resolve("server/local-shim/shim.pid");
    if (Files.exists(shimPid)) {
      ProcessHandle.of(Long.parseLong(Files.readString(shimPid).strip()))
          .ifPresent(ProcessHandle::destroyForcibly);
    }
    // The runners the shim started live in process groups of their own.
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      String home = tmp.resolve("server/local-shim").toString();
      all.filter(p -> p.info().commandLine().orElse("").contains(home))
          .forEach(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void theOtherServerCarriesARunToItsEndWhenTheFirstIsKilled() throws Exception {
    var shared = new HashMap<String, String>();
    shared.put(
        "DSTACK_DATABASE_URL",
        LocalPostgres.newDatabase("two_servers_" + UUID.randomUUID().toString().substring(0, 8)));
    shared.put("DSTACK_TEMPORAL_ADDRESS", SharedTemporal.target());
    shared.put("DSTACK_TEMPORAL_NAMESPACE", SharedTemporal.newNamespace());
    shared.put("DSTACK_SERVER_DIR", tmp.resolve("server").toString());
    shared.put("DSTACK_SERVER_ADMIN_TOKEN", TOKEN);

    var withFleet = new HashMap<>(shared);
    withFleet.put("DSTACK_LOCAL_FLEET", "true");
    withFleet.put("DSTACK_LOCAL_FLEET_MODE", "process");
    int firstPort = ServerProcess.freePort();
    var first = start("first", firstPort, withFleet);
    first.awaitOutput("The dstack server is running at", START_TIMEOUT);
    int secondPort = ServerProcess.freePort();
    var second = start("second", secondPort, withFleet);
    second.awaitOutput("The dstack server is running at", START_TIMEOUT);

    var viaFirst = new RunRequests(new Api("http://127.0.0.1:" + firstPort), TOKEN);
    var viaSecond = new RunRequests(new Api("http://127.0.0.1:" + secondPort), TOKEN);
    var ticks = new ArrayList<String>();
    for (int i = 1; i <= 40; i++) {
      ticks.add("tick " + i);
    }
    viaFirst.apply(
        "main",
        "replicated",
        List.of("for i in $(seq 1 40); do echo \"tick $i\"; sleep 0.25; done"));
    var running = viaSecond.awaitRunningWithLines("main", "replicated", "tick ", 5, START_TIMEOUT);
    assertEquals("running", running.path("status").asString(), running.toString());

    first.kill();

    var done = viaSecond.awaitFinished("main", "replicated", Duration.ofMinutes(4));
    assertEquals("done", done.path("status").asString(), done.toString());
    assertEquals(1, done.path("jobs").path(0).path("job_submissions").size(), "no resubmission");
    var printed = viaSecond.logs("main", done).lines().filter(l -> l.startsWith("tick ")).toList();
    assertEquals(ticks, printed, "every line once, in order");

    // The second server, alone now, runs the next run.
    viaSecond.apply("main", "afterwards", List.of("echo after"));
    var after = viaSecond.awaitFinished("main", "afterwards", Duration.ofMinutes(2));
    assertEquals("done", after.path("status").asString(), after.toString());

    assertTrue(second.interrupt(), "the second server did not stop on SIGINT");
  }

  private ServerProcess start(String name, int port, Map<String, String> env) throws IOException {
    var server =
        ServerProcess.start(tmp.resolve(name + "-home"), tmp.resolve(name + ".log"), port, env);
    started.add(server);
    return server;
  }
}
