package ai.dstack.core.configurations;

import ai.dstack.core.profiles.Durations;
import ai.dstack.core.profiles.NullValues;
import ai.dstack.core.profiles.ProfileParams;
import ai.dstack.core.resources.ResourcesGrammar;
import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.FieldPath;
import ai.dstack.core.yaml.Node;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Problems;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.Suggestions;
import ai.dstack.core.yaml.ValueReader;
import java.util.List;
import java.util.Map;

/**
 * Reads volume configurations: {@code backend} picks the fields, as dstack's second discriminator
 * does.
 */
final class VolumeConfigurationReader {
  private VolumeConfigurationReader() {}

  private static final Field<String> TYPE =
      Field.required("type", Readers.oneOf("volume"), "The configuration type: volume");
  private static final Field<String> NAME = Field.of("name", Readers.STRING, "The volume name");
  private static final Field<Long> AUTO_CLEANUP_DURATION =
      Field.of(
          "auto_cleanup_duration",
          Durations.IDLE,
          "How long to keep the volume once no job uses it before deleting it (e.g. 1d); off (the"
              + " default) keeps it");
  private static final Field<Map<String, String>> TAGS =
      Field.of(
          "tags",
          ProfileParams.TAG_MAPPING,
          "Tags for the volume, also set on its backend resources (key: value)");
  private static final Field<Double> SIZE =
      Field.of(
          "size",
          ResourcesGrammar.MEMORY,
          "The volume size (e.g. 100GB); required to create a new volume");
  private static final Field<String> VOLUME_ID =
      Field.of(
          "volume_id",
          Readers.STRING,
          "The ID of an existing volume to register instead of creating one");
  private static final Field<String> REGION =
      Field.required("region", Readers.STRING, "The region of the volume");
  private static final Field<String> AVAILABILITY_ZONE =
      Field.of("availability_zone", Readers.STRING, "The availability zone of the volume");
  private static final Field<String> CLUSTER =
      Field.of("region", Readers.STRING, "The cluster of the volume (default \"\")");
  private static final Field<Double> CLAIM_SIZE =
      Field.of(
          "size",
          ResourcesGrammar.MEMORY,
          "The size of a new PersistentVolumeClaim (e.g. 100GB); ignored with claim_name");
  private static final Field<String> CLAIM_NAME =
      Field.of(
          "claim_name",
          Readers.STRING,
          "The name of an existing PersistentVolumeClaim to register instead of creating one");
  private static final Field<String> STORAGE_CLASS_NAME =
      Field.of(
          "storage_class_name",
          Readers.STRING,
          "The StorageClass of a new claim; ignored with claim_name");
  private static final Field<List<String>> ACCESS_MODES =
      Field.of(
          "access_modes",
          Readers.listOf(Readers.STRING),
          "The access modes of a new claim (default [ReadWriteOnce]); ignored with claim_name");
  private static final Field<Boolean> READ_ONLY =
      Field.of(
          "read_only", Readers.BOOLEAN, "Whether the volume is mounted read-only (default false)");

  private static Field<String> backend(String... backends) {
    return Field.required(
        "backend",
        Readers.oneOf(backends),
        "The backend of the volume: " + String.join(", ", backends));
  }

  private static final ObjectSpec DISK =
      ObjectSpec.of(
          "an aws or gcp volume",
          TYPE,
          backend("aws", "gcp"),
          NAME,
          AUTO_CLEANUP_DURATION,
          TAGS,
          SIZE,
          VOLUME_ID,
          REGION,
          AVAILABILITY_ZONE);
  private static final ObjectSpec RUNPOD = DISK.with(backend("runpod")).titled("a runpod volume");
  private static final ObjectSpec KUBERNETES =
      ObjectSpec.of(
          "a kubernetes volume",
          TYPE,
          backend("kubernetes"),
          NAME,
          AUTO_CLEANUP_DURATION,
          TAGS,
          CLAIM_SIZE,
          CLUSTER,
          CLAIM_NAME,
          STORAGE_CLASS_NAME,
          ACCESS_MODES,
          READ_ONLY);
  private static final ObjectSpec BASIC =
      ObjectSpec.of(
          "a daytona or lium volume",
          TYPE,
          backend("daytona", "lium"),
          NAME,
          AUTO_CLEANUP_DURATION,
          TAGS,
          VOLUME_ID);

  /** Every field of every backend: to find all problems when the backend itself is wrong. */
  private static final ObjectSpec ANY =
      DISK.with(KUBERNETES.fields())
          .with(Field.of("backend", ValueReader.of(Map.of(), (node, path, problems) -> ""), ""));

  static ValueReader<VolumeConfiguration> reader() {
    return ValueReader.of(
        Map.of(
            "title",
            "a volume configuration",
            "oneOf",
            List.of(DISK.schema(), RUNPOD.schema(), KUBERNETES.schema(), BASIC.schema())),
        VolumeConfigurationReader::read);
  }

  private static VolumeConfiguration read(Node node, FieldPath path, Problems problems) {
    if (!(node instanceof Node.Mapping mapping)) {
      return problems.add(
          node, path, "expected a volume configuration (a mapping), got " + node.describe());
    }
    var backendEntry = mapping.get("backend");
    var backendPath = path.child("backend");
    String backend = null;
    if (backendEntry == null) {
      problems.add(
          mapping, backendPath, "is required: the backend of the volume, one of " + listed());
    } else if (backendEntry.value() instanceof Node.Scalar s && s.isNull()) {
      problems.add(
          s, backendPath, "cannot be null; give the backend of the volume, one of " + listed());
    } else {
      backend = Readers.STRING.read(backendEntry.value(), backendPath, problems);
      if (backend != null && !VolumeConfiguration.BACKENDS.contains(backend)) {
        problems.add(
            backendEntry.value(),
            backendPath,
            "\""
                + backend
                + "\" has no volumes; use one of "
                + listed()
                + Suggestions.didYouMean(backend, VolumeConfiguration.BACKENDS));
        backend = null;
      }
    }
    if (backend == null) {
      ANY.read(node, path, problems);
      return null;
    }
    var before = problems.count();
    return switch (backend) {
      case "aws", "gcp" -> {
        var v = DISK.read(node, path, problems);
        NullValues.rejectNull(v, REGION);
        yield problems.count() != before
            ? null
            : new VolumeConfiguration.Disk(
                backend,
                v.get(NAME),
                v.get(AUTO_CLEANUP_DURATION),
                v.get(TAGS),
                v.get(SIZE),
                v.get(VOLUME_ID),
                v.get(REGION),
                v.get(AVAILABILITY_ZONE));
      }
      case "runpod" -> {
        var v = RUNPOD.read(node, path, problems);
        NullValues.rejectNull(v, REGION);
        yield problems.count() != before
            ? null
            : new VolumeConfiguration.Runpod(
                backend,
                v.get(NAME),
                v.get(AUTO_CLEANUP_DURATION),
                v.get(TAGS),
                v.get(SIZE),
                v.get(VOLUME_ID),
                v.get(REGION),
                v.get(AVAILABILITY_ZONE));
      }
      case "kubernetes" -> {
        var v = KUBERNETES.read(node, path, problems);
        NullValues.rejectNull(v, CLUSTER, ACCESS_MODES, READ_ONLY);
        yield problems.count() != before
            ? null
            : new VolumeConfiguration.Kubernetes(
                backend,
                v.get(NAME),
                v.get(AUTO_CLEANUP_DURATION),
                v.get(TAGS),
                v.get(CLAIM_SIZE),
                v.get(CLUSTER, ""),
                v.get(CLAIM_NAME),
                v.get(STORAGE_CLASS_NAME),
                v.get(ACCESS_MODES, List.of("ReadWriteOnce")),
                v.get(READ_ONLY, false));
      }
      default -> {
        var v = BASIC.read(node, path, problems);
        yield problems.count() != before
            ? null
            : new VolumeConfiguration.Basic(
                backend, v.get(NAME), v.get(AUTO_CLEANUP_DURATION), v.get(TAGS), v.get(VOLUME_ID));
      }
    };
  }

  private static String listed() {
    return String.join(", ", VolumeConfiguration.BACKENDS);
  }
}
