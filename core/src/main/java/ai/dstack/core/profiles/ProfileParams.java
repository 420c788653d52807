package ai.dstack.core.profiles;

import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.FieldPath;
import ai.dstack.core.yaml.FieldValues;
import ai.dstack.core.yaml.Node;
import ai.dstack.core.yaml.Problems;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where and how a run (or fleet) is provisioned: backends, regions, instance types, spot policy,
 * price, retry, time limits, idle and utilization policies, schedule, fleets, instances and tags.
 * These fields sit at the top level of a configuration, and so does their JSON (the configuration
 * records unwrap this one). A null component means "not set": dstack's default applies.
 *
 * <p>Configurations list the fields they take ({@link #RUN_FIELDS}, or a subset for fleets), and
 * build the record with {@link #read(FieldValues)}.
 */
public record ProfileParams(
    List<String> backends,
    List<String> regions,
    List<String> availabilityZones,
    List<String> instanceTypes,
    String reservation,
    String spotPolicy,
    Retry retry,
    OffableDuration maxDuration,
    OffableDuration stopDuration,
    Double maxPrice,
    String creationPolicy,
    Long idleDuration,
    UtilizationPolicy utilizationPolicy,
    String startupOrder,
    String stopCriteria,
    Schedule schedule,
    List<EntityReference> fleets,
    List<InstanceSelector> instances,
    Map<String, String> tags,
    List<BackendOptions> backendOptions) {

  /** Nothing set. */
  public static final ProfileParams NONE =
      new ProfileParams(
          null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
          null, null, null, null, null);

  /** Every backend type, as written in configurations. */
  public static final List<String> BACKEND_TYPES =
      List.of(
          "amddevcloud",
          "aws",
          "azure",
          "cloudrift",
          "crusoe",
          "cudo",
          "datacrunch",
          "daytona",
          "digitalocean",
          "dstack",
          "gcp",
          "hotaisle",
          "jarvislabs",
          "kubernetes",
          "lambda",
          "lium",
          "remote",
          "nebius",
          "oci",
          "runpod",
          "seeweb",
          "tensordock",
          "vastai",
          "verda",
          "vultr",
          "slurm");

  private static final Pattern TAG_KEY = Pattern.compile("[_\\-a-zA-Z0-9]{1,60}");
  private static final Pattern TAG_VALUE = Pattern.compile("[a-zA-Z0-9 .:/=_\\-+@]{0,256}");

  /**
   * Tags: a mapping of keys (letters, digits, {@code _} and {@code -}, up to 60) to text values
   * (letters, digits, space and {@code .:/=_-+@}, up to 256). Values must be written as text.
   */
  public static final ValueReader<Map<String, String>> TAG_MAPPING =
      ValueReader.of(
          Map.of(
              "type",
              "object",
              "propertyNames",
              Map.of("pattern", "^" + TAG_KEY.pattern() + "$"),
              "additionalProperties",
              Map.of("type", "string", "pattern", "^" + TAG_VALUE.pattern() + "$")),
          ProfileParams::readTags);

  private static Map<String, String> readTags(Node node, FieldPath path, Problems problems) {
    if (!(node instanceof Node.Mapping mapping)) {
      return problems.add(node, path, "expected a mapping of tags, got " + node.describe());
    }
    var before = problems.count();
    var tags = new LinkedHashMap<String, String>();
    for (var entry : mapping.entries()) {
      var at = path.child(entry.key());
      if (!TAG_KEY.matcher(entry.key()).matches()) {
        problems.add(
            entry.keyMark(),
            at,
            "\"" + entry.key() + "\" is not a valid tag key; use 1 to 60 letters, digits, _ or -");
        continue;
      }
      if (!(entry.value() instanceof Node.Scalar s) || s.type() != Node.ScalarType.STR) {
        problems.add(
            entry.value(),
            at,
            "a tag value must be text, got " + entry.value().describe() + "; quote it");
        continue;
      }
      if (!TAG_VALUE.matcher(s.text()).matches()) {
        problems.add(
            entry.value(),
            at,
            "\""
                + s.text()
                + "\" is not a valid tag value; use up to 256 letters, digits, spaces or"
                + " .:/=_-+@");
        continue;
      }
      tags.put(entry.key(), s.text());
    }
    return problems.count() == before ? Collections.unmodifiableMap(tags) : null;
  }

  private static final ValueReader<List<String>> STRINGS = Readers.listOf(Readers.STRING);

  public static final Field<List<String>> BACKENDS =
      Field.of(
          "backends",
          Readers.listOf(Readers.oneOf(BACKEND_TYPES.toArray(String[]::new))),
          "The backends to consider for provisioning (e.g. [aws, gcp])");
  public static final Field<List<String>> REGIONS =
      Field.of("regions", STRINGS, "The regions to consider (e.g. [eu-west-1, us-west4])");
  public static final Field<List<String>> AVAILABILITY_ZONES =
      Field.of(
          "availability_zones",
          STRINGS,
          "The availability zones to consider (e.g. [eu-west-1a, us-west4-a])");
  public static final Field<List<String>> INSTANCE_TYPES =
      Field.of(
          "instance_types",
          STRINGS,
          "The cloud instance types to consider (e.g. [g6e.24xlarge, n1-standard-4])");
  public static final Field<String> RESERVATION =
      Field.of(
          "reservation",
          Readers.STRING,
          "An existing reservation to provision from (AWS Capacity Reservations and Capacity"
              + " Blocks, GCP reservations)");
  public static final Field<String> SPOT_POLICY =
      Field.of(
          "spot_policy",
          Readers.oneOf("spot", "on-demand", "auto"),
          "Spot or on-demand instances: spot, on-demand or auto (default on-demand)");
  public static final Field<Retry> RETRY =
      Field.of(
          "retry",
          Retry.READER,
          "Whether and how to resubmit the run: true, false (the default) or {on_events,"
              + " duration}");
  public static final Field<OffableDuration> MAX_DURATION =
      Field.of(
          "max_duration",
          Durations.OFFABLE,
          "How long the run may be running before it is stopped (e.g. 2h, 1d), or off (the"
              + " default)");
  public static final Field<OffableDuration> STOP_DURATION =
      Field.of(
          "stop_duration",
          Durations.OFFABLE,
          "How long a graceful stop may take before the run is force-stopped (default 5m), or"
              + " off");
  public static final Field<Double> MAX_PRICE =
      Field.of(
          "max_price", Readers.numberAbove(0), "The maximum instance price per hour, in dollars");
  public static final Field<String> CREATION_POLICY =
      Field.of(
          "creation_policy",
          Readers.oneOf("reuse", "reuse-or-create"),
          "Whether the run may create instances: reuse or reuse-or-create (the default)");
  public static final Field<Long> IDLE_DURATION =
      Field.of(
          "idle_duration",
          Durations.IDLE,
          "How long an idle instance is kept before it is terminated (e.g. 1h; default 5m for"
              + " runs, 3d for fleets), or off to keep it");
  public static final Field<UtilizationPolicy> UTILIZATION_POLICY =
      Field.of(
          "utilization_policy",
          UtilizationPolicy.READER,
          "Stop the run when GPU utilization stays low: {min_gpu_utilization, time_window}");
  public static final Field<String> STARTUP_ORDER =
      Field.of(
          "startup_order",
          Readers.oneOf("any", "master-first", "workers-first"),
          "The order the master and worker jobs start in: any (the default), master-first or"
              + " workers-first");
  public static final Field<String> STOP_CRITERIA =
      Field.of(
          "stop_criteria",
          Readers.oneOf("all-done", "master-done"),
          "When a multi-node run is finished: all-done (the default) or master-done");
  public static final Field<Schedule> SCHEDULE =
      Field.of("schedule", Schedule.READER, "When to start the run: {cron: \"0 8 * * *\"}");
  public static final Field<List<EntityReference>> FLEETS =
      Field.of(
          "fleets",
          Readers.listOf(EntityReference.READER),
          "The fleets the run may use: names, or project/name for imported fleets");
  public static final Field<List<InstanceSelector>> INSTANCES =
      Field.of(
          "instances",
          ValueReader.of(
              Readers.listOf(InstanceSelector.READER).schema(), ProfileParams::readInstances),
          "The fleet instances the run may be placed on: names, {name}, {hostname} or {fleet,"
              + " instance}");
  public static final Field<Map<String, String>> TAGS =
      Field.of(
          "tags",
          TAG_MAPPING,
          "Tags for the resource, also set on the backend's resources (key: value)");
  public static final Field<List<BackendOptions>> BACKEND_OPTIONS =
      Field.of(
          "backend_options",
          ValueReader.of(
              Readers.listOf(BackendOptions.READER).schema(), ProfileParams::readBackendOptions),
          "Options for offers of one backend: [{type: vastai, offer_order, min_reliability,"
              + " min_score}]");

  /** Every profile field, in dstack's order: what runs take. */
  public static final List<Field<?>> RUN_FIELDS =
      List.of(
          BACKENDS,
          REGIONS,
          AVAILABILITY_ZONES,
          INSTANCE_TYPES,
          RESERVATION,
          SPOT_POLICY,
          RETRY,
          MAX_DURATION,
          STOP_DURATION,
          MAX_PRICE,
          CREATION_POLICY,
          IDLE_DURATION,
          UTILIZATION_POLICY,
          STARTUP_ORDER,
          STOP_CRITERIA,
          SCHEDULE,
          FLEETS,
          INSTANCES,
          TAGS,
          BACKEND_OPTIONS);

  private static List<InstanceSelector> readInstances(
      Node node, FieldPath path, Problems problems) {
    var list = Readers.listOf(InstanceSelector.READER).read(node, path, problems);
    if (list != null && list.isEmpty()) {
      return problems.add(node, path, "cannot be empty; list instances, or leave it out");
    }
    return list;
  }

  private static List<BackendOptions> readBackendOptions(
      Node node, FieldPath path, Problems problems) {
    var list = Readers.listOf(BackendOptions.READER).read(node, path, problems);
    if (list != null) {
      var seen = new HashSet<String>();
      for (var options : list) {
        if (!seen.add(options.type())) {
          return problems.add(
              node, path, "has two entries for backend " + options.type() + "; merge them");
        }
      }
    }
    return list;
  }

  /** The profile fields read into {@code values}; fields a configuration does not take are null. */
  public static ProfileParams read(FieldValues values) {
    return new ProfileParams(
        values.get(BACKENDS),
        values.get(REGIONS),
        values.get(AVAILABILITY_ZONES),
        values.get(INSTANCE_TYPES),
        values.get(RESERVATION),
        values.get(SPOT_POLICY),
        values.get(RETRY),
        values.get(MAX_DURATION),
        values.get(STOP_DURATION),
        maxPrice(values.get(MAX_PRICE)),
        values.get(CREATION_POLICY),
        values.get(IDLE_DURATION),
        values.get(UTILIZATION_POLICY),
        values.get(STARTUP_ORDER),
        values.get(STOP_CRITERIA),
        values.get(SCHEDULE),
        values.get(FLEETS),
        values.get(INSTANCES),
        values.get(TAGS),
        values.get(BACKEND_OPTIONS));
  }

  // An infinite price is no limit at all, which is what "not set" means (dstack writes it as null).
  private static Double maxPrice(Double price) {
    return price == null || price.isInfinite() ? null : price;
  }
}
