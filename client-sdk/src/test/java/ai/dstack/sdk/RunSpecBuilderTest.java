package ai.dstack.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.sdk.api.DstackException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Run specs as dstack's CLI sends them for a {@code .dstack.yml}. */
class RunSpecBuilderTest {

  @Test
  void aTaskBecomesAVirtualRepoSpecWithItsConfigurationAsWritten() {
    var spec =
        RunSpecBuilder.fromYaml(
            "type: task\nname: hello\ncommands: [echo hi]\nresources:\n  gpu: 0\n",
            "t.dstack.yml",
            "t.dstack.yml",
            Map.of());

    assertEquals("hello", spec.runName());
    assertEquals("none", spec.repoId());
    assertEquals("virtual", spec.repoData().path("repo_type").asText());
    assertEquals("t.dstack.yml", spec.configurationPath());
    assertEquals("echo hi", spec.json().path("configuration").path("commands").path(0).asText());
    assertTrue(spec.json().path("ssh_key_pub").isNull(), "the server fills in the user's key");
  }

  @Test
  void variablesWithoutAValueComeFromTheCallersEnvironment() {
    var spec =
        RunSpecBuilder.fromYaml(
            "type: task\ncommands: [env]\nenv:\n  - A=1\n  - TOKEN\n",
            "t.dstack.yml",
            null,
            Map.of("TOKEN", "from-caller"));

    var env = spec.json().path("configuration").path("env");
    assertEquals("1", env.path("A").asText());
    assertEquals("from-caller", env.path("TOKEN").asText());
    assertTrue(spec.params().env().unresolved().isEmpty());
  }

  @Test
  void aVariableTheCallerLacksIsAnInvalidConfiguration() {
    var invalid =
        assertThrows(
            DstackException.InvalidConfiguration.class,
            () ->
                RunSpecBuilder.fromYaml(
                    "type: task\ncommands: [env]\nenv: [MISSING_ONE]\n",
                    "t.dstack.yml",
                    null,
                    Map.of()));

    assertEquals("env", invalid.errors().getFirst().path());
    assertTrue(invalid.getMessage().contains("MISSING_ONE"), invalid.getMessage());
  }

  @Test
  void aParsedConfigurationGivesTheSameSpecAsItsYaml() {
    String yaml =
        "type: task\nname: same\ncommands: [echo hi]\nenv: [A=1, B]\nresources:\n  gpu: A100:2\n";
    var fromYaml = RunSpecBuilder.fromYaml(yaml, "t.yml", null, Map.of("B", "2"));
    var configuration = ai.dstack.core.configurations.ConfigurationParser.parse(yaml, "t.yml");

    var fromObject = RunSpecBuilder.fromConfiguration(configuration, Map.of("B", "2"));

    assertEquals(fromYaml.configuration(), fromObject.configuration());
    assertEquals("2", fromObject.json().path("configuration").path("env").path("B").asText());
  }

  @Test
  void offersAskAtLeastTheGivenResources() {
    var spec = RunSpecBuilder.forOffers(Map.of("gpu", "A100:2"));

    var resources = spec.json().path("configuration").path("resources");
    assertEquals("A100:2", resources.path("gpu").asText());
    assertEquals(1, resources.path("cpu").path("count").path("min").asInt());
  }
}
