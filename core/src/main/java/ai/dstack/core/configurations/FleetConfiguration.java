package ai.dstack.core.configurations;

import ai.dstack.core.profiles.BackendOptions;
import ai.dstack.core.profiles.NullValues;
import ai.dstack.core.profiles.ProfileParams;
import ai.dstack.core.profiles.Retry;
import ai.dstack.core.resources.ResourcesGrammar;
import ai.dstack.core.resources.ResourcesSpec;
import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * A fleet ({@code type: fleet}): instances that runs are placed on. A cloud fleet is provisioned by
 * dstack from {@code nodes}, {@code resources} and the provisioning fields (backends, regions, spot
 * policy, ...); an SSH fleet is made of existing hosts listed in {@code sshConfig}. Null components
 * are "not set": dstack's defaults apply. As in dstack, the file is not checked for being one kind
 * or the other (exactly one of {@code nodes} and {@code sshConfig}, no fields of the other kind):
 * that is checked when the fleet is applied.
 *
 * @param name the fleet name (generated when null)
 * @param placement {@code any} or {@code cluster} (instances in one interconnected network)
 * @param blocks how many blocks each instance is split into (default 1)
 * @param nodes how many instances a cloud fleet has
 * @param resources what each instance of a cloud fleet must have (null: no requirement)
 * @param idleDuration seconds an idle instance above {@code nodes.min} is kept (-1: forever)
 * @param sshConfig the hosts of an SSH fleet and how to reach them
 * @param env environment variables for the instances
 */
@JsonPropertyOrder({"type"})
public record FleetConfiguration(
    String name,
    String placement,
    Blocks blocks,
    FleetNodes nodes,
    String reservation,
    ResourcesSpec resources,
    List<String> backends,
    List<String> regions,
    List<String> availabilityZones,
    List<String> instanceTypes,
    String spotPolicy,
    Retry retry,
    Double maxPrice,
    Long idleDuration,
    Map<String, String> tags,
    List<BackendOptions> backendOptions,
    SshConfig sshConfig,
    Env env)
    implements Configuration {

  @JsonProperty("type")
  @Override
  public String type() {
    return "fleet";
  }

  private static final Field<String> TYPE =
      Field.required("type", Readers.oneOf("fleet"), "The configuration type: fleet");
  private static final Field<String> NAME = Field.of("name", Readers.STRING, "The fleet name");
  private static final Field<String> PLACEMENT =
      Field.of(
          "placement",
          Readers.oneOf("any", "cluster"),
          "Where instances are placed: any, or cluster (one interconnected network)");
  private static final Field<Blocks> BLOCKS =
      Field.of(
          "blocks",
          Blocks.READER,
          "The number of blocks to split each instance into (its GPUs and CPUs must divide"
              + " evenly), or auto for as many as possible (default 1)");
  private static final Field<FleetNodes> NODES =
      Field.of(
          "nodes",
          FleetNodes.READER,
          "The number of instances: 2, a range 1..4, or {min, target, max}");
  private static final Field<ResourcesSpec> RESOURCES =
      Field.of("resources", ResourcesGrammar.RESOURCES, "What each instance must have");
  private static final Field<Long> IDLE_DURATION =
      Field.of(
          "idle_duration",
          ProfileParams.IDLE_DURATION.reader(),
          "How long an idle instance above nodes.min is kept before it is terminated (e.g. 1h;"
              + " default 3d), or off to keep it");
  private static final Field<Retry> RETRY =
      Field.of(
          "retry",
          ProfileParams.RETRY.reader(),
          "Whether and how to retry provisioning: true, false (the default) or {on_events,"
              + " duration}");
  private static final Field<SshConfig> SSH_CONFIG =
      Field.of(
          "ssh_config",
          SshConfig.READER,
          "The existing hosts of an SSH fleet and how to reach them: {user, identity_file,"
              + " hosts, ...}");
  private static final Field<Env> ENV =
      Field.of(
          "env",
          Env.READER,
          "Environment variables for the instances: a mapping, or a list of NAME=value");

  private static final ObjectSpec SPEC =
      ObjectSpec.of(
          "a fleet configuration",
          TYPE,
          NAME,
          PLACEMENT,
          BLOCKS,
          NODES,
          ProfileParams.RESERVATION,
          RESOURCES,
          ProfileParams.BACKENDS,
          ProfileParams.REGIONS,
          ProfileParams.AVAILABILITY_ZONES,
          ProfileParams.INSTANCE_TYPES,
          ProfileParams.SPOT_POLICY,
          RETRY,
          ProfileParams.MAX_PRICE,
          IDLE_DURATION,
          ProfileParams.TAGS,
          ProfileParams.BACKEND_OPTIONS,
          SSH_CONFIG,
          ENV);

  /** Reads {@code type: fleet} configurations. */
  public static final ValueReader<FleetConfiguration> READER =
      SPEC.reader(
          v -> {
            NullValues.rejectNull(v, BLOCKS, ENV);
            var profile = ProfileParams.read(v);
            return new FleetConfiguration(
                v.get(NAME),
                v.get(PLACEMENT),
                v.get(BLOCKS, Blocks.ONE),
                v.get(NODES),
                profile.reservation(),
                v.get(RESOURCES),
                profile.backends(),
                profile.regions(),
                profile.availabilityZones(),
                profile.instanceTypes(),
                profile.spotPolicy(),
                profile.retry(),
                profile.maxPrice(),
                profile.idleDuration(),
                profile.tags(),
                profile.backendOptions(),
                v.get(SSH_CONFIG),
                v.get(ENV, Env.EMPTY));
          });
}
