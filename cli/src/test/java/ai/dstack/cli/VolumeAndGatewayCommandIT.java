package ai.dstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code dstack volume} and {@code dstack gateway}: the server has none of either, so the empty
 * listings and the not-found answers.
 */
class VolumeAndGatewayCommandIT extends ServerFixture {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void volumeListIsAnEmptyTable() {
    for (var command : List.of(List.of("volume"), List.of("volume", "list"))) {
      var result = cli().run(command.toArray(String[]::new));
      assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
      assertEquals("NAME  BACKEND  STATUS  CREATED\n", result.out());
    }
    var verbose = cli().run("volume", "list", "-v");
    assertEquals(
        "NAME  BACKEND  REGION  STATUS  ATTACHED  CREATED  ERROR\n",
        verbose.out(),
        verbose.toString());
  }

  @Test
  void volumeListAsJsonHasTheProjectAndNoVolumes() throws Exception {
    var result = cli().run("volume", "list", "--json");

    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    JsonNode json = JSON.readTree(result.out());
    assertEquals("main", json.path("project").asText());
    assertTrue(json.path("volumes").isArray() && json.path("volumes").isEmpty(), result.out());
  }

  @Test
  void volumeGetAndDeleteOfAnUnknownVolumeSayItDoesNotExist() {
    var get = cli().run("volume", "get", "no-such-volume", "--json");
    assertEquals(ExitCodes.FAILURE, get.exitCode(), get.toString());
    assertEquals("", get.out());
    assertTrue(
        get.err().startsWith("Error: Volume no-such-volume not found in project main"),
        get.toString());

    var delete = cli().run("volume", "delete", "no-such-volume", "-y");
    assertEquals(ExitCodes.FAILURE, delete.exitCode(), delete.toString());
    assertTrue(
        delete.err().contains("Volume no-such-volume does not exist in project main"),
        delete.toString());
  }

  @Test
  void gatewayListIsAnEmptyTable() {
    for (var command : List.of(List.of("gateway"), List.of("gateway", "list"))) {
      var result = cli().run(command.toArray(String[]::new));
      assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
      assertEquals("NAME  BACKEND  HOSTNAME  DOMAIN  DEFAULT  STATUS\n", result.out());
    }
  }

  @Test
  void gatewayListAsJsonHasTheProjectAndNoGateways() throws Exception {
    for (var command :
        List.of(List.of("gateway", "--json"), List.of("gateway", "list", "--format", "json"))) {
      var result = cli().run(command.toArray(String[]::new));

      assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
      JsonNode json = JSON.readTree(result.out());
      assertEquals("main", json.path("project").asText());
      assertTrue(json.path("gateways").isArray() && json.path("gateways").isEmpty(), result.out());
    }
  }

  @Test
  void gatewayGetAndDeleteOfAnUnknownGatewaySayItDoesNotExist() {
    var get = cli().run("gateway", "get", "no-such-gateway", "--json");
    assertEquals(ExitCodes.FAILURE, get.exitCode(), get.toString());
    assertEquals("", get.out());
    assertTrue(
        get.err().startsWith("Error: Gateway no-such-gateway not found in project main"),
        get.toString());

    var delete = cli().run("gateway", "delete", "no-such-gateway", "-y");
    assertEquals(ExitCodes.FAILURE, delete.exitCode(), delete.toString());
    assertTrue(
        delete.err().contains("Gateway no-such-gateway does not exist in project main"),
        delete.toString());
  }

  @Test
  void gatewayDeleteRefusesAnotherProjectsGateway() {
    var result = cli().run("gateway", "delete", "other/gw", "-y");

    assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
    assertTrue(result.err().contains("--project other"), result.toString());
  }
}
