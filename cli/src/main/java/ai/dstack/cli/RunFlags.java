package ai.dstack.cli;

import ai.dstack.core.configurations.ConfigurationParser;
import ai.dstack.core.json.Json;
import ai.dstack.core.yaml.InvalidConfigurationException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The resource and profile flags of {@code dstack apply} and {@code dstack offer}, as dstack 0.22.5
 * has them: each overrides one field of the configuration ({@code --gpu} sets {@code
 * resources.gpu}, {@code --spot} sets {@code spot_policy}, ...), written as in a {@code
 * .dstack.yml} and checked by the same parser.
 */
final class RunFlags {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @Option(
      names = "--cpu",
      paramLabel = "SPEC",
      description = "The CPUs, as ARCH:COUNT (both optional), e.g. 4.., x86:8, arm:2..4.")
  String cpu;

  @Option(
      names = "--gpu",
      paramLabel = "SPEC",
      description = "The GPUs, as NAME:COUNT:MEMORY (all optional), e.g. A100, H100:8, 24GB..:2.")
  String gpu;

  @Option(
      names = "--memory",
      paramLabel = "RANGE",
      description = "The RAM, e.g. 64GB, 128GB..256GB.")
  String memory;

  @Option(names = "--disk", paramLabel = "RANGE", description = "The disk size, e.g. 100GB..")
  String disk;

  @Option(
      names = {"-b", "--backend"},
      paramLabel = "NAME",
      description = "A backend to provision in (repeatable).")
  List<String> backends;

  @Option(
      names = {"-r", "--region"},
      paramLabel = "NAME",
      description = "A region to provision in (repeatable).")
  List<String> regions;

  @Option(
      names = "--instance-type",
      paramLabel = "NAME",
      description = "A cloud instance type to provision (repeatable).")
  List<String> instanceTypes;

  @Option(
      names = "--fleet",
      paramLabel = "NAME",
      description = "Consider only this fleet (repeatable).")
  List<String> fleets;

  @Option(
      names = {"-R", "--reuse"},
      description = "Reuse an existing instance of a fleet; do not provision a new one.")
  boolean reuse;

  @Option(
      names = "--dont-destroy",
      description = "Keep an instance the run provisions once the run ends.")
  boolean dontDestroy;

  @Option(
      names = "--idle-duration",
      paramLabel = "DURATION",
      description = "How long an instance the run provisions may stay idle, e.g. 30m, or off.")
  String idleDuration;

  @Option(names = "--spot", description = "Consider only spot instances.")
  boolean spot;

  @Option(names = "--on-demand", description = "Consider only on-demand instances.")
  boolean onDemand;

  @Option(names = "--spot-auto", description = "Consider spot and on-demand instances.")
  boolean spotAuto;

  @Option(names = "--spot-policy", paramLabel = "POLICY", description = "spot, on-demand or auto.")
  String spotPolicy;

  @Option(names = "--retry", description = "Retry the run on no capacity, interruption, error.")
  boolean retry;

  @Option(names = "--no-retry", description = "Do not retry the run.")
  boolean noRetry;

  @Option(
      names = "--retry-duration",
      paramLabel = "DURATION",
      description = "Retry the run for at most this long, e.g. 1h.")
  String retryDuration;

  @Option(
      names = "--max-price",
      paramLabel = "PRICE",
      description = "The maximum price per hour, in dollars.")
  Double maxPrice;

  @Option(
      names = "--max-duration",
      paramLabel = "DURATION",
      description = "The longest the run may run, e.g. 2h, or off.")
  String maxDuration;

  /**
   * The configuration fields the flags set, each with the flag that sets it, in the order dstack
   * applies them.
   *
   * @throws ParameterException when two flags that exclude each other are given, or a value does
   *     not read as the field it sets
   */
  Overrides overrides(CommandLine commandLine) {
    exclusive(
        commandLine,
        flag("--spot", spot),
        flag("--on-demand", onDemand),
        flag("--spot-auto", spotAuto),
        flag("--spot-policy", spotPolicy != null));
    exclusive(
        commandLine,
        flag("--retry", retry),
        flag("--no-retry", noRetry),
        flag("--retry-duration", retryDuration != null));
    exclusive(
        commandLine,
        flag("--reuse", reuse),
        flag("--dont-destroy", dontDestroy),
        flag("--idle-duration", idleDuration != null));
    var overrides = new Overrides();
    overrides.resource("--cpu", "cpu", cpu);
    overrides.resource("--gpu", "gpu", gpu);
    overrides.resource("--memory", "memory", memory);
    overrides.resource("--disk", "disk", disk);
    overrides.list("--backend", "backends", backends);
    overrides.list("--region", "regions", regions);
    overrides.list("--instance-type", "instance_types", instanceTypes);
    if (maxPrice != null) {
      overrides.put("--max-price", "max_price", NODES.numberNode(maxPrice));
    }
    overrides.text("--max-duration", "max_duration", maxDuration);
    overrides.list("--fleet", "fleets", fleets);
    overrides.text("--idle-duration", "idle_duration", idleDuration);
    if (dontDestroy) {
      overrides.put("--dont-destroy", "idle_duration", NODES.textNode("off"));
    }
    if (reuse) {
      overrides.put("--reuse", "creation_policy", NODES.textNode("reuse"));
    }
    if (spot || onDemand || spotAuto) {
      String policy = spot ? "spot" : onDemand ? "on-demand" : "auto";
      overrides.text("--" + (spot ? "spot" : policy), "spot_policy", policy);
    }
    overrides.text("--spot-policy", "spot_policy", spotPolicy);
    if (retry || noRetry) {
      overrides.put(retry ? "--retry" : "--no-retry", "retry", NODES.booleanNode(retry));
    } else if (retryDuration != null) {
      var duration = NODES.objectNode();
      duration.put("duration", retryDuration);
      overrides.put("--retry-duration", "retry", duration);
    }
    overrides.check(commandLine);
    return overrides;
  }

  private record Flag(String name, boolean given) {}

  private static Flag flag(String name, boolean given) {
    return new Flag(name, given);
  }

  private static void exclusive(CommandLine commandLine, Flag... flags) {
    var given = new ArrayList<String>();
    for (var flag : flags) {
      if (flag.given()) {
        given.add(flag.name());
      }
    }
    if (given.size() > 1) {
      throw new ParameterException(
          commandLine, String.join(" and ", given) + " exclude each other: give one of them");
    }
  }

  /**
   * Configuration fields set by flags: top-level fields ({@code spot_policy}, {@code max_price},
   * ...) replace the configuration's; {@code resources} fields replace those of its {@code
   * resources}, keeping the others.
   */
  static final class Overrides {
    private final Map<String, JsonNode> fields = new LinkedHashMap<>();
    private final Map<String, JsonNode> resources = new LinkedHashMap<>();
    private final Map<String, String> flags = new LinkedHashMap<>();

    /** Whether no flag was given. */
    boolean isEmpty() {
      return fields.isEmpty() && resources.isEmpty();
    }

    /** The flags given, e.g. {@code [--gpu, --spot]}. */
    List<String> flags() {
      return List.copyOf(flags.values());
    }

    /** Sets the fields in {@code configuration} (a run configuration's JSON). */
    void applyTo(ObjectNode configuration) {
      if (!resources.isEmpty()) {
        var node = configuration.get("resources");
        ObjectNode target =
            node instanceof ObjectNode object ? object : configuration.putObject("resources");
        resources.forEach(target::set);
      }
      fields.forEach(configuration::set);
    }

    private void resource(String flag, String field, String value) {
      if (value != null) {
        resources.put(field, NODES.textNode(value));
        flags.put("resources." + field, flag);
      }
    }

    private void list(String flag, String field, List<String> values) {
      if (values != null && !values.isEmpty()) {
        var array = NODES.arrayNode();
        values.forEach(array::add);
        put(flag, field, array);
      }
    }

    private void text(String flag, String field, String value) {
      if (value != null) {
        put(flag, field, NODES.textNode(value));
      }
    }

    private void put(String flag, String field, JsonNode value) {
      fields.put(field, value);
      flags.put(field, flag);
    }

    /** Reads each value as core reads the field in a task, so a bad value names its flag. */
    private void check(CommandLine commandLine) {
      var problems = new ArrayList<String>();
      flags.forEach(
          (field, flag) -> {
            var task = Json.MAPPER.createObjectNode();
            task.put("type", "task");
            task.putArray("commands").add(":");
            if (field.startsWith("resources.")) {
              var name = field.substring("resources.".length());
              task.putObject("resources").set(name, resources.get(name));
            } else {
              task.set(field, fields.get(field));
            }
            try {
              // JSON is YAML: the same reader as a .dstack.yml's.
              ConfigurationParser.parse(task.toString(), flag);
            } catch (InvalidConfigurationException e) {
              e.errors().forEach(error -> problems.add(flag + ": " + error.message()));
            }
          });
      if (!problems.isEmpty()) {
        throw new ParameterException(commandLine, String.join("\n", problems));
      }
    }
  }
}
