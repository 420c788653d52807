package ai.dstack.core.runs.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.json.Json;
import ai.dstack.core.yaml.InvalidConfigurationException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks our run specs and job specs against dstack 0.22.5's own server code (the oracle, see
 * tools/oracle/check_run_wire.py): for every run configuration under examples/ and
 * src/test/resources/runs-wire/, the run spec the real CLI sends goes through our {@link RunSpecs}
 * and {@link JobSpecs} and through dstack's {@code validate_run_spec_and_set_defaults} and job
 * configurators, and the effective run spec, the plan's job specs and the submission's job specs
 * must be equal field by field. Files under runs-wire/rejected/ must be refused by both.
 *
 * <p>Both sides use the same default images ({@link #SETTINGS}: dstack's {@code dstackai/base}
 * names are replaced by ours, on purpose) and the same image table ({@link #IMAGES}), where dstack
 * would ask registries.
 */
class RunWireOracleTest {

  static final String USER_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOracleTestKey user@test";

  /** What the registry would say of each image the cases name without saying it themselves. */
  static final Map<String, ImageConfig> IMAGES =
      Map.of(
          "nvcr.io/nvidia/pytorch:24.07-py3",
          new ImageConfig(null, null, List.of("bash"), Set.of("x86", "arm")),
          "vllm/vllm-openai:latest",
          new ImageConfig(
              null,
              List.of("python3", "-m", "vllm.entrypoints.openai.api_server"),
              null,
              Set.of("x86")),
          "ghcr.io/example/trainer:1.2",
          new ImageConfig("trainer", null, List.of("python"), Set.of("x86")),
          "python:3.12-slim",
          new ImageConfig(null, null, List.of("python3"), Set.of("x86", "arm")),
          "registry.example.com/tools/batch:7",
          new ImageConfig(
              "batch:1000", List.of("/entrypoint.sh"), List.of("run", "--all"), Set.of("arm")),
          "ubuntu:24.04",
          new ImageConfig(null, null, List.of("/bin/bash"), Set.of("x86", "arm")),
          "rocm/pytorch:latest",
          new ImageConfig(null, null, List.of("/bin/bash"), Set.of("x86")),
          "nginx:1.27",
          new ImageConfig(
              "101:101",
              List.of("/docker-entrypoint.sh"),
              List.of("nginx", "-g", "daemon off;"),
              Set.of("x86", "arm")));

  static final Map<String, String> SECRETS = Map.of("REGISTRY_TOKEN", "registry-token-value");

  static final JobSpecs.Settings SETTINGS =
      new JobSpecs.Settings(
          "dstack-base:local",
          "dstack-base:local-devel",
          "dstackai/dind",
          "3.12",
          (image, auth) -> Optional.ofNullable(IMAGES.get(image)),
          JobSpecs::generateSshKey,
          true);

  static List<String> runFiles() throws IOException {
    var files = new ArrayList<String>();
    for (var dir :
        List.of(
            Path.of("../examples"),
            Path.of("src/test/resources/runs-wire"),
            Path.of("src/test/resources/runs-wire/rejected"))) {
      try (var paths = Files.list(dir)) {
        paths
            .filter(p -> p.toString().endsWith(".yml"))
            .sorted()
            .forEach(p -> files.add(p.toString()));
      }
    }
    return files;
  }

  /** The run specs the dstack CLI sends for every run configuration, by file. */
  static java.util.LinkedHashMap<String, JsonNode> clientRunSpecs() throws Exception {
    var args = new ArrayList<>(List.of("client-specs"));
    args.addAll(runFiles());
    var result = OracleScript.run(args.toArray(String[]::new));
    assertEquals(0, result.exit(), result.output());
    var specs = new java.util.LinkedHashMap<String, JsonNode>();
    Json.MAPPER
        .readTree(result.output())
        .properties()
        .forEach(
            e -> {
              if (e.getValue().get("error").isNull()) {
                specs.put(e.getKey(), e.getValue().get("run_spec"));
              }
            });
    return specs;
  }

  @Test
  void jobSpecsAgreeWithDstacksConfigurators(@TempDir Path dir) throws Exception {
    var clientSpecs = clientRunSpecs();
    // Requests written by hand, as API users other than the CLI send them.
    try (var paths = Files.list(Path.of("src/test/resources/runs-wire/requests"))) {
      for (var path : paths.sorted().toList()) {
        clientSpecs.put(path.toString(), Json.MAPPER.readTree(path.toFile()));
      }
    }
    assertTrue(
        clientSpecs.size() >= 20, "expected every run configuration, got " + clientSpecs.keySet());
    var cases = Json.MAPPER.createArrayNode();
    var random = new Random(42);
    for (var entry : clientSpecs.entrySet()) {
      var testCase = cases.addObject();
      testCase.put("name", entry.getKey());
      testCase.set("run_spec", entry.getValue());
      testCase.set("options", options());
      testCase.set("ours", ours(entry.getValue(), random));
    }
    var file = dir.resolve("cases.json");
    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), cases);
    var result = OracleScript.run("job-specs", file.toString());
    System.out.println(result.output());
    assertEquals(0, result.exit(), "dstack 0.22.5 disagrees:\n" + result.output());
    var summary =
        Pattern.compile(
                "oracle: (\\d+) cases, (\\d+) agree \\((\\d+) rejected by both\\), (\\d+) job specs")
            .matcher(result.output());
    assertTrue(summary.find(), result.output());
    assertEquals(clientSpecs.size(), Integer.parseInt(summary.group(1)));
    assertEquals(5, Integer.parseInt(summary.group(3)), "every file under rejected/ is refused");
    assertTrue(Integer.parseInt(summary.group(4)) >= 40, result.output());
  }

  /** A change to a stored spec: the JSON pointer of a configuration field and its new value. */
  record Change(String pointer, String json) {}

  static final List<Change> CHANGES =
      List.of(
          new Change("", ""), // nothing changed
          new Change("/configuration/priority", "42"),
          new Change("/configuration/image", "\"busybox:1\""),
          new Change("/configuration/commands", "[\"echo changed\"]"),
          new Change("/configuration/env", "{\"NEW\": \"1\"}"),
          new Change("/configuration/max_duration", "7200"),
          new Change("/configuration/replicas", "{\"min\": 3, \"max\": 3}"),
          new Change("/configuration/scaling", "null"),
          new Change("/configuration/inactivity_duration", "600"),
          new Change("/configuration/resources/cpu/arch", "null"),
          new Change("/configuration/resources/memory", "{\"min\": 512.0, \"max\": null}"),
          new Change("/configuration/https", "true"),
          new Change("/configuration/files", "[]"),
          new Change("/configuration_path", "\"moved.dstack.yml\""),
          new Change("/repo_code_hash", "\"0123abcd\""),
          new Change("/profile/max_price", "9.5"));

  @Test
  void inPlaceUpdatesAgreeWithDstack(@TempDir Path dir) throws Exception {
    var pairs = Json.MAPPER.createArrayNode();
    var random = new Random(3);
    for (var entry : clientRunSpecs().entrySet()) {
      RunSpec stored;
      try {
        var effective = RunSpecs.withDefaults(RunSpecs.parse(entry.getValue()), USER_KEY);
        stored =
            effective.runName() != null
                ? effective
                : RunSpecs.withRunName(effective, RunNames.generate(random, n -> false));
      } catch (InvalidRunSpecException e) {
        continue;
      }
      for (var change : CHANGES) {
        var json = stored.json();
        if (!change.pointer().isEmpty()) {
          var parent = json.at(change.pointer().substring(0, change.pointer().lastIndexOf('/')));
          if (!(parent instanceof ObjectNode object)) {
            continue;
          }
          object.set(
              change.pointer().substring(change.pointer().lastIndexOf('/') + 1),
              Json.MAPPER.readTree(change.json()));
        }
        RunSpec next;
        try {
          next = RunSpecs.withDefaults(RunSpecs.parse(json), USER_KEY);
        } catch (InvalidRunSpecException | InvalidConfigurationException e) {
          continue; // a change this configuration does not take
        }
        var pair = pairs.addObject();
        pair.put(
            "name",
            entry.getKey() + " " + (change.pointer().isEmpty() ? "unchanged" : change.pointer()));
        pair.set("current", stored.json());
        pair.set("next", next.json());
        pair.put("ours", RunSpecDiff.canUpdateInPlace(stored, next));
      }
    }
    var file = dir.resolve("pairs.json");
    Json.MAPPER.writeValue(file.toFile(), pairs);
    var result = OracleScript.run("updates", file.toString());
    System.out.println(result.output());
    assertEquals(0, result.exit(), "dstack 0.22.5 disagrees:\n" + result.output());
    assertTrue(pairs.size() > 200, "pairs: " + pairs.size());
    var updates = 0;
    for (var pair : pairs) {
      updates += pair.get("ours").asBoolean() ? 1 : 0;
    }
    System.out.println("in place: " + updates + " of " + pairs.size());
    assertTrue(updates > 40 && pairs.size() - updates > 40, "both outcomes are checked");
  }

  static ObjectNode options() {
    var options = Json.MAPPER.createObjectNode();
    options.put("python", SETTINGS.defaultPython());
    options.put("base_image", SETTINGS.baseImage());
    options.put("devel_image", SETTINGS.develImage());
    options.put("dind_image", SETTINGS.dindImage());
    options.put("user_ssh_public_key", USER_KEY);
    options.set("secrets", Json.MAPPER.valueToTree(SECRETS));
    var images = options.putObject("images");
    IMAGES.forEach(
        (name, config) -> {
          var image = images.putObject(name);
          image.put("user", config.user());
          image.set("entrypoint", Json.MAPPER.valueToTree(config.entrypoint()));
          image.set("cmd", Json.MAPPER.valueToTree(config.cmd()));
          image.set("architectures", Json.MAPPER.valueToTree(config.architectures()));
        });
    return options;
  }

  /** What our code makes of a run spec: the plan's and the submission's. */
  static ObjectNode ours(JsonNode runSpec, Random random) {
    var ours = Json.MAPPER.createObjectNode();
    try {
      var effective = RunSpecs.withDefaults(RunSpecs.parse(runSpec), USER_KEY);
      ours.set("effective_run_spec", effective.json());
      var plan = JobSpecs.forPlan(effective, SETTINGS, SECRETS);
      var named =
          effective.runName() != null
              ? effective
              : RunSpecs.withRunName(effective, RunNames.generate(random, name -> false));
      var submission = JobSpecs.forSubmission(named, SETTINGS, SECRETS);
      ours.put("run_name", named.runName());
      ours.set("plan_job_specs", Json.MAPPER.valueToTree(plan));
      ours.set("plan_requirements", describe(plan));
      ours.set("submit_job_specs", Json.MAPPER.valueToTree(submission));
      ours.set("submit_requirements", describe(submission));
    } catch (InvalidRunSpecException | InvalidConfigurationException e) {
      ours.put("error", e.getMessage());
    }
    return ours;
  }

  private static ArrayNode describe(List<JobSpec> specs) {
    var out = Json.MAPPER.createArrayNode();
    specs.forEach(s -> out.add(s.requirements().describe()));
    return out;
  }
}
