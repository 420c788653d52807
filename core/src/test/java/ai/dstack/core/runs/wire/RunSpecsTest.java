package ai.dstack.core.runs.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.json.Json;
import ai.dstack.core.yaml.InvalidConfigurationException;
import ai.dstack.core.yaml.Problems;
import ai.dstack.core.yaml.Yaml11;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RunSpecsTest {

  static final String KEY = Samples.USER_KEY;

  /** A run spec as an API user might send it: the configuration as written in the file. */
  static ObjectNode specOf(Path file) throws IOException {
    var problems = new Problems(file.toString());
    var configuration = Yaml11.toPlain(Yaml11.parse(Files.readString(file), problems));
    problems.throwIfAny();
    var spec = Json.MAPPER.createObjectNode();
    spec.set("configuration", Json.MAPPER.valueToTree(configuration));
    spec.put("configuration_path", file.getFileName().toString());
    return spec;
  }

  static Stream<Path> runFiles() throws IOException {
    var files = new ArrayList<Path>();
    for (var dir : List.of(Path.of("../examples"), Path.of("src/test/resources/runs-wire"))) {
      try (var paths = Files.list(dir)) {
        paths.filter(p -> p.toString().endsWith(".yml")).sorted().forEach(files::add);
      }
    }
    // Only run configurations: fleets, volumes and gateways are not run specs.
    return files.stream()
        .filter(
            p -> {
              try {
                return Files.readString(p)
                    .matches("(?s).*\\ntype: (task|service|dev-environment)\\n.*");
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
  }

  @ParameterizedTest
  @MethodSource("runFiles")
  void planThenApplyGivesTheSameSpec(Path file) throws IOException {
    var sent = specOf(file);
    // The plan's effective spec; the client echoes the plan's run_spec (the raw one) on apply.
    var effective = RunSpecs.withDefaults(RunSpecs.parse(sent), KEY);
    var applied = RunSpecs.withDefaults(RunSpecs.parse(sent.deepCopy()), KEY);
    assertEquals(effective, applied);
    // Defaults are idempotent: the stored spec, defaulted again, is unchanged.
    assertEquals(effective.json(), RunSpecs.withDefaults(effective, KEY).json());
    assertTrue(RunSpecs.equivalent(effective, RunSpecs.parse(effective.json())));
  }

  @Test
  void fillsInTheServersDefaults() {
    var spec =
        RunSpecs.withDefaults(
            RunSpecs.parse(
                Samples.json(
                    "{\"configuration\": {\"type\": \"task\", \"commands\": [\"true\"]}}")),
            KEY);
    var json = spec.json();
    assertEquals("none", json.get("repo_id").asText());
    assertEquals("virtual", json.at("/repo_data/repo_type").asText());
    assertEquals(0, json.at("/configuration/priority").asInt());
    assertEquals(1, json.at("/configuration/nodes").asInt());
    assertEquals(KEY, spec.sshKeyPub());
    // No GPU asked for, dstack's image: the default GPU spec, NVIDIA.
    assertEquals("nvidia", json.at("/configuration/resources/gpu/vendor").asText());
    assertEquals(0, json.at("/configuration/resources/gpu/count/min").asInt());
    assertNull(spec.runName(), "named on submission, not in the plan");
  }

  @Test
  void keepsWhatTheClientSet() {
    var spec =
        RunSpecs.withDefaults(
            RunSpecs.parse(
                Samples.json(
                    """
                    {"run_name": "keep", "ssh_key_pub": "ssh-rsa AAAA mine",
                     "configuration": {"type": "task", "image": "ubuntu", "commands": ["true"],
                       "priority": 7, "resources": {"gpu": 2}}}
                    """)),
            KEY);
    assertEquals("keep", spec.runName());
    assertEquals("ssh-rsa AAAA mine", spec.sshKeyPub());
    assertEquals(7, spec.json().at("/configuration/priority").asInt());
    // A GPU count on a custom image says nothing of the vendor.
    assertTrue(spec.json().at("/configuration/resources/gpu/vendor").isNull());
    assertEquals(2, spec.json().at("/configuration/resources/gpu/count/min").asInt());
  }

  @Test
  void infersTheVendorFromGpuNames() {
    var spec =
        RunSpecs.withDefaults(
            RunSpecs.parse(
                Samples.json(
                    "{\"configuration\": {\"type\": \"task\", \"image\": \"x\", \"commands\": [\"true\"],"
                        + " \"resources\": {\"gpu\": \"MI300X:8\"}}}")),
            KEY);
    assertEquals("amd", spec.json().at("/configuration/resources/gpu/vendor").asText());
  }

  @Test
  void refusesWhatDstacksServerRefuses() {
    var noKey =
        RunSpecs.parse(
            Samples.json("{\"configuration\": {\"type\": \"task\", \"commands\": [\"x\"]}}"));
    assertEquals(
        "ssh_key_pub must be set if the user has no ssh_public_key",
        assertThrows(InvalidRunSpecException.class, () -> RunSpecs.withDefaults(noKey, null))
            .getMessage());
    var badName =
        RunSpecs.parse(
            Samples.json(
                "{\"run_name\": \"Bad_Name\", \"configuration\": {\"type\": \"task\", \"commands\": [\"x\"]}}"));
    assertEquals(
        "Resource name should match regex '^[a-z][a-z0-9-]{1,40}$'",
        assertThrows(InvalidRunSpecException.class, () -> RunSpecs.withDefaults(badName, KEY))
            .getMessage());
    var repoWithoutData =
        RunSpecs.parse(
            Samples.json(
                "{\"repo_id\": \"r\", \"configuration\": {\"type\": \"task\", \"commands\": [\"x\"]}}"));
    assertEquals(
        "repo_id must not be set if repo_data is not set",
        assertThrows(
                InvalidRunSpecException.class, () -> RunSpecs.withDefaults(repoWithoutData, KEY))
            .getMessage());
    assertThrows(
        InvalidRunSpecException.class,
        () -> RunSpecs.withRunName(noKey, "x"),
        "run names have 2 to 41 characters");
  }

  @Test
  void reportsConfigurationProblemsByFieldPath() {
    var error =
        assertThrows(
            InvalidConfigurationException.class,
            () ->
                RunSpecs.parse(
                    Samples.json(
                        """
                        {"configuration_path": "train.dstack.yml",
                         "configuration": {"type": "task", "commands": ["x"],
                           "resources": {"gpu": "A100:2:3"}, "nodez": 2},
                         "profile": {"name": "default", "spot_policy": "sometimes"}}
                        """)));
    var messages = error.errors().stream().map(Object::toString).toList();
    assertTrue(
        messages.stream().anyMatch(m -> m.startsWith("train.dstack.yml resources.gpu: ")),
        messages.toString());
    assertTrue(
        messages.stream().anyMatch(m -> m.startsWith("train.dstack.yml nodez: unknown field")),
        messages.toString());
    assertTrue(
        messages.stream().anyMatch(m -> m.startsWith("run_spec profile.spot_policy: ")),
        messages.toString());
  }

  @Test
  void refusesConfigurationsThatAreNotRuns() {
    var error =
        assertThrows(
            InvalidConfigurationException.class,
            () ->
                RunSpecs.parse(
                    Samples.json(
                        "{\"configuration\": {\"type\": \"volume\", \"backend\": \"aws\", \"region\": \"x\", \"size\": 100}}")));
    assertTrue(error.getMessage().contains("is not a run configuration"), error.getMessage());
  }

  @Test
  void mergesTheProfileUnderTheConfiguration() {
    var spec =
        RunSpecs.parse(
            Samples.json(
                """
                {"configuration": {"type": "task", "commands": ["x"], "spot_policy": "spot"},
                 "profile": {"name": "p", "spot_policy": "auto", "max_price": 1.5}}
                """));
    assertEquals("spot", spec.profile().spotPolicy());
    assertEquals(1.5, spec.profile().maxPrice());
    assertEquals("reuse-or-create", spec.profile().creationPolicy());
  }

  @Test
  void comparesSpecsAsParsedNotAsWritten() {
    var a =
        RunSpecs.parse(
            Samples.json(
                "{\"run_name\": \"a1\", \"file_archives\": [], \"configuration\": {\"type\": \"task\", \"commands\": [\"x\"], \"resources\": {\"memory\": \"8GB..\"}}}"));
    var b =
        RunSpecs.parse(
            Samples.json(
                "{\"run_name\": \"a1\", \"configuration\": {\"resources\": {\"memory\": {\"min\": 8.0, \"max\": null}}, \"commands\": [\"x\"], \"type\": \"task\"}}"));
    assertTrue(RunSpecs.equivalent(a, b));
    assertFalse(RunSpecs.equivalent(a, RunSpecs.withRunName(b, "a2")));
  }

  @Test
  void buildsTheVirtualRepoSpecOfAConfigurationAsDstacksCliSendsIt() {
    var configuration =
        (ObjectNode) Samples.json("{\"type\": \"task\", \"name\": \"t1\", \"commands\": [\"x\"]}");
    var spec = RunSpecs.parse(RunSpecs.virtualRepoSpec(configuration, "t.dstack.yml"));
    assertEquals("t1", spec.runName());
    assertEquals(RunSpecs.VIRTUAL_REPO_ID, spec.repoId());
    assertEquals("virtual", spec.repoData().path("repo_type").asText());
    assertEquals("t.dstack.yml", spec.configurationPath());
    assertTrue(spec.fileArchives().isEmpty());
    assertNull(spec.sshKeyPub());

    configuration.remove("name");
    var unnamed = RunSpecs.parse(RunSpecs.virtualRepoSpec(configuration, null));
    assertNull(unnamed.runName());
    assertNull(unnamed.configurationPath());
  }

  @Test
  void theOffersSpecAsksAnythingOnAnyDisk() {
    var json = RunSpecs.offersSpec();
    var resources = json.path("configuration").path("resources");
    assertEquals(1, resources.path("cpu").path("count").path("min").asInt());
    assertEquals(0.0, resources.path("memory").path("min").asDouble());
    assertEquals(0, resources.path("gpu").path("count").path("min").asInt());
    assertTrue(resources.path("disk").isNull());
    var spec = RunSpecs.parse(json);
    assertEquals("task", spec.type());
    assertNull(spec.runName());
  }

  @Test
  void aSpecHoldsItsJsonAsTextReadsItAndACopyOfWhatItWasGiven() throws IOException {
    String text =
        "{\"run_name\":\"n\",\"configuration\":{\"type\":\"task\",\"commands\":[\"true\"],"
            + "\"priority\":5,\"max_duration\":3000000000,\"resources\":{\"cpu\":2}},"
            + "\"extra\":[1.5,12345678901234567890123,null,true]}";
    var read = (ObjectNode) Json.MAPPER.readTree(text);
    // Built by code: longs, floats and decimals where text would give ints and doubles.
    var built = read.deepCopy();
    ((ObjectNode) built.get("configuration")).put("priority", 5L);
    ((ObjectNode) built.get("configuration").get("resources")).put("cpu", (short) 2);
    var extra = Json.MAPPER.createArrayNode();
    extra.add(1.5f);
    extra.add(new java.math.BigInteger("12345678901234567890123"));
    extra.addNull();
    extra.add(true);
    built.set("extra", extra);
    assertFalse(built.equals(read));

    var fromRead = RunSpec.fromJson(read);
    var fromBuilt = RunSpec.fromJson(built);

    assertEquals(read, fromRead.json());
    assertEquals(read, fromBuilt.json());
    assertEquals(text, Json.MAPPER.writeValueAsString(fromBuilt));
    read.put("run_name", "changed");
    assertEquals("n", fromRead.runName());
  }
}
