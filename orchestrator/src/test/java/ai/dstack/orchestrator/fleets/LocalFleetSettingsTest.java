package ai.dstack.orchestrator.fleets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.activities.local.LocalShim;
import ai.dstack.core.configurations.Blocks;
import ai.dstack.orchestrator.fleets.LocalFleetSettings.Switch;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The local fleet's settings: the switch, the blocks, the CPUs, the jars, and its ids per project.
 */
class LocalFleetSettingsTest {

  @ParameterizedTest
  @CsvSource({
    // value, external Temporal, on
    ",       false, true",
    ",       true,  false",
    "auto,   false, true",
    "auto,   true,  false",
    "true,   true,  true",
    "on,     false, true",
    "false,  false, false",
    "off,    false, false",
    "0,      false, false"
  })
  void theSwitchIsOnWithTheEmbeddedTemporalUnlessSetOtherwise(
      String value, boolean external, boolean on) {
    assertEquals(on, Switch.parse(value).on(external));
  }

  @Test
  void aSwitchItCannotReadSaysWhatItTakes() {
    var e = assertThrows(IllegalArgumentException.class, () -> Switch.parse("maybe"));
    assertTrue(e.getMessage().contains("true, false or auto"), e.getMessage());
  }

  @Test
  void blocksAreAutoByDefaultOrANumber() {
    assertEquals(Blocks.AUTO, settings(null).parsedBlocks());
    assertEquals(Blocks.AUTO, settings("AUTO").parsedBlocks());
    assertEquals(new Blocks(4L), settings("4").parsedBlocks());
    for (var wrong : new String[] {"0", "-1", "two"}) {
      var e = assertThrows(IllegalArgumentException.class, () -> settings(wrong).parsedBlocks());
      assertTrue(e.getMessage().startsWith("DSTACK_LOCAL_FLEET_BLOCKS"), e.getMessage());
    }
  }

  @Test
  void cpusAreTheHostsByDefaultOrAWholeNumber() {
    assertEquals(OptionalInt.empty(), withCpus(null).parsedCpus());
    assertEquals(OptionalInt.empty(), withCpus(" ").parsedCpus());
    assertEquals(OptionalInt.of(8), withCpus(" 8 ").parsedCpus());
    for (var wrong : new String[] {"0", "-2", "1.5", "four", "99999999999"}) {
      var e = assertThrows(IllegalArgumentException.class, () -> withCpus(wrong).parsedCpus());
      assertEquals(
          "DSTACK_LOCAL_FLEET_CPUS must be a whole number of at least 1 (or unset for the host's"
              + " CPUs), not "
              + wrong,
          e.getMessage());
    }
  }

  @Test
  void environmentVariablesBindBesideTheSwitch() {
    var environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .addFirst(
            new SystemEnvironmentPropertySource(
                "env",
                Map.of(
                    "DSTACK_LOCAL_FLEET", "false",
                    "DSTACK_LOCAL_FLEET_BLOCKS", "2",
                    "DSTACK_LOCAL_FLEET_CPUS", "6",
                    "DSTACK_LOCAL_FLEET_MODE", "process",
                    "DSTACK_LOCAL_FLEET_ON_SHUTDOWN", "stop-when-idle",
                    "DSTACK_LOCAL_FLEET_SHIM_PORT", "10998")));

    var bound = Binder.get(environment).bind(FleetsConfig.SWITCH, LocalFleetSettings.class).get();

    assertEquals("false", environment.getProperty(FleetsConfig.SWITCH));
    assertEquals("2", bound.blocks());
    assertEquals(OptionalInt.of(6), bound.parsedCpus());
    assertEquals(LocalShim.Mode.PROCESS, bound.mode());
    assertEquals(LocalShim.OnShutdown.STOP_WHEN_IDLE, bound.onShutdown());
    assertEquals(10998, bound.shimPort());
  }

  @Test
  void propertiesBindToo() {
    var bound =
        new Binder(
                new MapConfigurationPropertySource(
                    Map.of("dstack.local-fleet", "true", "dstack.local-fleet.on-shutdown", "keep")))
            .bind(FleetsConfig.SWITCH, LocalFleetSettings.class)
            .get();

    assertEquals(LocalShim.OnShutdown.KEEP, bound.onShutdown());
    assertEquals("auto", bound.blocks());
  }

  @Test
  void theAgentsJarsAreFoundInTheRepositoryOrWhereASettingSays() {
    Path shim = AgentJars.shim(null);
    Path runner = AgentJars.runner(null);

    assertTrue(shim.toString().matches(".*/shim/target/dstack-shim-[^/]*\\.jar"), shim.toString());
    assertTrue(
        runner.toString().matches(".*/runner/target/dstack-runner-[^/]*\\.jar"), runner.toString());
    assertEquals(shim, AgentJars.shim(shim));
    var e =
        assertThrows(
            IllegalStateException.class, () -> AgentJars.shim(Path.of("/nowhere/shim.jar")));
    assertTrue(e.getMessage().contains("DSTACK_LOCAL_FLEET_SHIM_JAR"), e.getMessage());
  }

  @Test
  void eachProjectSeesItsOwnVersion4IdsOfTheFleet() {
    UUID fleet = UUID.randomUUID();
    UUID project = UUID.randomUUID();

    UUID scoped = LocalFleet.scoped(fleet, project);

    assertEquals(4, scoped.version());
    assertEquals(2, scoped.variant());
    assertEquals(scoped, LocalFleet.scoped(fleet, project));
    assertNotEquals(scoped, LocalFleet.scoped(fleet, UUID.randomUUID()));
    assertNotEquals(scoped, LocalFleet.scoped(UUID.randomUUID(), project));
  }

  private static LocalFleetSettings settings(String blocks) {
    return new LocalFleetSettings(blocks, null, null, null, 0, null, null, null, null, null);
  }

  private static LocalFleetSettings withCpus(String cpus) {
    return new LocalFleetSettings(null, cpus, null, null, 0, null, null, null, null, null);
  }
}
