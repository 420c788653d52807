package ai.dstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code dstack fleet}: the server's {@code local} fleet listed, shown, and refused deletion. */
class FleetCommandIT extends ServerFixture {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void listShowsTheLocalFleetAndItsOneInstance() {
    for (var command : List.of(List.of("fleet"), List.of("fleet", "list"))) {
      var result = cli().run(command.toArray(String[]::new));

      assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
      var lines = result.out().lines().toList();
      assertEquals(
          List.of("NAME", "NODES", "GPU", "SPOT", "BACKEND", "PRICE", "STATUS", "CREATED"),
          TaskRuns.words(lines.get(0)),
          result.out());
      // An SSH-like fleet of this host: one node, backend ssh, nothing billed.
      var fleet = TaskRuns.words(lines.get(1));
      assertEquals(List.of("local", "1", "ssh", "active"), fleet.subList(0, 4), result.out());
      assertTrue(lines.get(2).startsWith("   instance=0 "), result.out());
      var instance = lines.get(2);
      assertTrue(instance.contains(" ssh"), result.out());
      assertTrue(instance.matches(".* \\d+/8 busy .*"), "blocks busy of 8 in\n" + result.out());
      assertEquals(3, lines.size(), result.out());
    }
  }

  @Test
  void verboseListShowsTheInstanceResources() {
    var result = cli().run("fleet", "list", "-v");

    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    var lines = result.out().lines().toList();
    assertEquals(
        List.of(
            "NAME",
            "NODES",
            "RESOURCES",
            "DRIVER",
            "SPOT",
            "BACKEND",
            "PRICE",
            "STATUS",
            "CREATED",
            "ERROR"),
        TaskRuns.words(lines.get(0)),
        result.out());
    assertTrue(lines.get(2).matches("   instance=0 +cpu=\\S*8 mem=\\S+GB .*"), result.out());
  }

  @Test
  void listAsJsonHasTheProjectAndItsFleets() throws Exception {
    var result = cli().run("fleet", "list", "--json");

    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    JsonNode json = JSON.readTree(result.out());
    assertEquals("main", json.path("project").asText());
    assertEquals(1, json.path("fleets").size(), result.out());
    assertEquals("local", json.path("fleets").get(0).path("name").asText());
  }

  @Test
  void getAsJsonIsTheFleetTheServerReturns() throws Exception {
    var result = cli().run("fleet", "get", "local", "--json");

    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    JsonNode fleet = JSON.readTree(result.out());
    assertEquals("local", fleet.path("name").asText());
    assertEquals("main", fleet.path("project_name").asText());
    assertEquals("active", fleet.path("status").asText());
    assertTrue(fleet.path("spec").path("configuration").has("ssh_config"), result.out());
    assertEquals(1, fleet.path("instances").size(), result.out());
    assertEquals(0, fleet.path("instances").get(0).path("instance_num").asInt(-1));

    var byId = cli().run("fleet", "get", "--id", fleet.path("id").asText(), "--json");
    assertEquals(ExitCodes.OK, byId.exitCode(), byId.toString());
    assertEquals("local", JSON.readTree(byId.out()).path("name").asText());
  }

  @Test
  void getOfAnUnknownFleetSaysItIsNotFound() {
    var result = cli().run("fleet", "get", "no-such-fleet", "--json");

    assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
    assertEquals("", result.out());
    assertTrue(
        result.err().startsWith("Error: Fleet no-such-fleet not found in project main"),
        result.toString());
  }

  @Test
  void deleteOfAnUnknownFleetSaysItDoesNotExist() {
    var result = cli().run("fleet", "delete", "no-such-fleet", "-y");

    assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
    assertTrue(
        result.err().contains("Fleet no-such-fleet does not exist in project main"),
        result.toString());
  }

  @Test
  void deletingTheLocalFleetIsRefusedWithTheServersReason() {
    for (var command :
        List.of(
            List.of("fleet", "delete", "local", "-y"),
            List.of("fleet", "delete", "local", "-i", "0", "-y"))) {
      var result = cli().run(command.toArray(String[]::new));

      assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
      assertEquals("", result.out());
      assertTrue(result.err().contains("cannot be deleted"), result.toString());
      assertTrue(result.err().contains("DSTACK_LOCAL_FLEET=false"), result.toString());
    }
    var list = cli().run("fleet");
    assertTrue(list.out().lines().anyMatch(l -> l.startsWith("local ")), list.toString());
  }

  @Test
  void deleteAsksFirstAndDoesNothingWithoutAnAnswer() {
    var result = cli().run("fleet", "delete", "local");

    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    assertTrue(result.err().contains("Delete the fleet local? [y/n]"), result.toString());
    assertTrue(result.err().contains("pass -y"), result.toString());
  }

  @Test
  void watchRefreshesTheListingUntilCtrlC() throws Exception {
    Process process = cli().start("fleet", "-w");
    var headers = new ArrayList<String>();
    try (var out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      String line;
      while (headers.size() < 2
          && System.nanoTime() < deadline
          && (line = out.readLine()) != null) {
        if (line.startsWith("NAME ")) {
          headers.add(line);
        }
      }
      assertEquals(2, headers.size(), "the table printed twice");
      new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
      assertTrue(process.waitFor(20, TimeUnit.SECONDS), "still watching after Ctrl-C");
      assertEquals(ExitCodes.OK, process.exitValue());
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void watchAndJsonDoNotGoTogether() {
    var result = cli().run("fleet", "-w", "--json");

    assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
    assertTrue(result.err().contains("--watch"), result.toString());
  }
}
