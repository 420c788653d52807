package ai.dstack.orchestrator.fleets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.orchestrator.testing.DstackClient;
import ai.dstack.orchestrator.testing.OnLocalFleet;
import ai.dstack.orchestrator.testing.Processes;
import ai.dstack.orchestrator.testing.ServerTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real dstack 0.22.5 CLI against a server with its local fleet: {@code dstack fleet}, {@code
 * fleet get --json}, {@code volume list} and {@code gateway list} print without a traceback, and
 * what the server refuses comes out as the CLI's one-line error.
 */
@OnLocalFleet
class LocalFleetCliTest extends ServerTest {

  @TempDir Path home;

  @BeforeEach
  void addProject() {
    Processes.Result added =
        DstackClient.cli(
            home,
            "project",
            "add",
            "--name",
            "main",
            "--url",
            "http://127.0.0.1:" + port,
            "--token",
            ADMIN,
            "-y");
    assertEquals(0, added.exitCode(), added.output());
  }

  private Processes.Result dstack(String... arguments) {
    Processes.Result result = DstackClient.cli(home, arguments);
    assertFalse(result.output().contains("Traceback"), result.output());
    return result;
  }

  @Test
  void fleetListsLocalWithThisHost() {
    Processes.Result listed = dstack("fleet");
    Processes.Result verbose = dstack("fleet", "list", "-v");

    assertEquals(0, listed.exitCode(), listed.output());
    assertTrue(listed.output().matches("(?s).*NAME\\s+NODES.*"), listed.output());
    assertTrue(listed.output().matches("(?s).*\\blocal\\s+1\\b.*"), listed.output());
    assertTrue(listed.output().contains("instance=0"), listed.output());
    assertTrue(listed.output().contains("ssh (local)"), listed.output());
    // "0/N busy" when the host has several blocks, else "idle"
    assertTrue(listed.output().matches("(?s).*(idle|0/\\d+ busy).*"), listed.output());
    assertEquals(0, verbose.exitCode(), verbose.output());
    int cpus = Runtime.getRuntime().availableProcessors();
    assertTrue(verbose.output().matches("(?s).*cpu=(x86:|arm:)?" + cpus + " .*"), verbose.output());
  }

  @Test
  void fleetGetPrintsItsJson() throws IOException {
    Processes.Result got = dstack("fleet", "get", "local", "--json");

    assertEquals(0, got.exitCode(), got.output());
    var fleet = JsonMapper.builder().build().readTree(got.output());
    assertEquals("local", fleet.path("name").asString());
    assertEquals("local-0", fleet.path("instances").path(0).path("name").asString());
    assertEquals("remote", fleet.path("instances").path(0).path("backend").asString());
  }

  @Test
  void volumesAndGatewaysListEmpty() {
    Processes.Result volumes = dstack("volume", "list");
    Processes.Result gateways = dstack("gateway", "list");
    Processes.Result gatewaysJson = dstack("gateway", "list", "--json");

    assertEquals(0, volumes.exitCode(), volumes.output());
    assertEquals(0, gateways.exitCode(), gateways.output());
    assertEquals(0, gatewaysJson.exitCode(), gatewaysJson.output());
  }

  @Test
  void whatTheServerRefusesIsAOneLineError() throws IOException {
    Processes.Result deleted = dstack("fleet", "delete", "local", "-y");
    Processes.Result missing = dstack("fleet", "get", "nope", "--json");
    Path fleetFile = home.resolve("fleet.dstack.yml");
    Files.writeString(
        fleetFile, "type: fleet\nname: my-ssh\nssh_config:\n  user: root\n  hosts: [10.0.0.1]\n");
    Processes.Result applied = dstack("apply", "-f", fleetFile.toString(), "-y");

    assertEquals(1, deleted.exitCode(), deleted.output());
    assertTrue(deleted.output().contains("DSTACK_LOCAL_FLEET=false"), deleted.output());
    assertEquals(1, missing.exitCode(), missing.output());
    assertTrue(missing.output().contains("nope"), missing.output());
    assertEquals(1, applied.exitCode(), applied.output());
    assertTrue(applied.output().contains("SSH fleets are not supported yet"), applied.output());
  }
}
