package ai.dstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.cli.testing.Cli;
import ai.dstack.sdk.testing.LocalServer;
import ai.dstack.sdk.testing.LocalServerExtension;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code dstack offer} of the packaged CLI against a real server (its local fleet's offers). */
@ExtendWith(LocalServerExtension.class)
class OfferCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;

  private LocalServer server;
  private Cli cli;

  @BeforeEach
  void connect(LocalServer server) {
    this.server = server;
    cli = Cli.configuredFor(server, home);
  }

  @Test
  void offerShowsTheRequirementsThenTheLocalFleetsOffersAsATable() {
    var result = cli.run("offer");

    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    var out = result.out();
    assertTrue(out.startsWith("Project      main\n"), result.toString());
    assertTrue(out.contains("Resources    cpu=1.. mem=0GB.. gpu=0..\n"), result.toString());
    assertTrue(out.contains("Max price    off\n"), result.toString());
    assertTrue(
        out.lines().anyMatch(l -> l.matches("#\\s+BACKEND\\s+RESOURCES\\s+INSTANCE TYPE\\s+PRICE")),
        result.toString());
    assertTrue(
        out.lines().anyMatch(l -> l.matches("1\\s+ssh \\(local\\)\\s+cpu=x86:\\d+ mem=.*\\$0.*")),
        result.toString());
    assertEquals("", result.err());
  }

  @Test
  void offerJsonHasTheProjectUserRequirementsOffersAndTheirTotal() throws Exception {
    var result = cli.run("offer", "--json", "--cpu", "1..", "--max-price", "2.5");

    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    JsonNode json = JSON.readTree(result.out());
    assertEquals(server.project(), json.path("project").asText());
    assertEquals("admin", json.path("user").asText());
    var requirements = json.path("requirements");
    assertEquals(1, requirements.path("resources").path("cpu").path("count").path("min").asInt());
    assertEquals(2.5, requirements.path("max_price").asDouble());
    assertTrue(requirements.has("spot") && requirements.has("reservation"), json.toString());
    var offers = json.path("offers");
    assertTrue(offers.isArray() && !offers.isEmpty(), json.toString());
    assertEquals("remote", offers.get(0).path("backend").asText());
    assertTrue(offers.get(0).path("instance").path("resources").path("cpus").asInt() >= 1);
    assertTrue(json.path("total_offers").asInt() >= offers.size(), json.toString());
  }

  @Test
  void offerForResourcesNoHostHasSaysThereAreNoOffers() {
    var result = cli.run("offer", "--gpu", "H100:8");

    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    assertTrue(result.out().contains("gpu=H100:8"), result.toString());
    assertTrue(result.out().contains("No matching instance offers available"), result.toString());
  }

  @Test
  void spotOnlyAsksForSpotInstances() throws Exception {
    var json = JSON.readTree(cli.run("offer", "--json", "--spot").out());

    assertTrue(json.path("requirements").path("spot").asBoolean(), json.toString());
    assertEquals(0, json.path("offers").size(), "the local host is not a spot instance");
  }

  @Test
  void groupByGpuShowsTheServersGpuGroups() throws Exception {
    var result = cli.run("offer", "--group-by", "gpu,backend");

    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    assertTrue(result.out().contains("Group by     gpu, backend"), result.toString());
    assertTrue(
        result.out().lines().anyMatch(l -> l.matches("#\\s+GPU\\s+SPOT\\s+\\$/GPU\\s+BACKENDS")),
        result.toString());

    var json = JSON.readTree(cli.run("offer", "--group-by", "gpu", "--json").out());
    assertEquals("gpu", json.path("group_by").get(0).asText());
    assertTrue(json.path("gpus").isArray(), json.toString());
    assertFalse(json.has("offers"), json.toString());
  }

  @Test
  void groupByWithoutGpuIsAUsageError() {
    var result = cli.run("offer", "--group-by", "backend");

    assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
    assertTrue(result.err().contains("without also grouping by 'gpu'"), result.toString());
  }

  @Test
  void anUnreachableServerIsOneLineAndItsOwnExitCode() {
    var offline =
        Cli.withHome(home)
            .env("DSTACK_SERVER_URL", LocalServer.deadUrl())
            .env("DSTACK_TOKEN", server.token())
            .env("DSTACK_PROJECT", server.project());

    var result = offline.run("offer");

    assertEquals(ExitCodes.SERVER_UNREACHABLE, result.exitCode(), result.toString());
    assertEquals(1, result.err().lines().count(), result.toString());
  }
}
