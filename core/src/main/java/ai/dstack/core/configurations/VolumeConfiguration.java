package ai.dstack.core.configurations;

import ai.dstack.core.yaml.ValueReader;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * A network volume ({@code type: volume}): a new one dstack creates, or an existing one it
 * registers. Which fields a volume has depends on its {@code backend}, as in dstack: cloud disks
 * (aws, gcp) have a region and zone, Runpod network volumes a region, Kubernetes volumes are
 * PersistentVolumeClaims, and daytona and lium volumes have an ID only.
 */
public sealed interface VolumeConfiguration extends Configuration {

  /** The backend the volume lives in. */
  String backend();

  /** The volume name; generated when null. */
  String name();

  /**
   * Seconds to keep the volume once no job uses it before deleting it; -1 (written {@code off})
   * never deletes it, and so does null, the default.
   */
  Long autoCleanupDuration();

  /** Tags for the volume and its backend resources. */
  Map<String, String> tags();

  /** The ID of an existing volume to register instead of creating one, or null to create one. */
  @JsonIgnore
  String externalVolumeId();

  @JsonProperty("type")
  @Override
  default String type() {
    return "volume";
  }

  /**
   * A cloud block disk (aws, gcp) in a region and availability zone.
   *
   * @param size the size of a new disk, in GB
   * @param volumeId the ID of an existing disk to register
   */
  @JsonPropertyOrder({"type"})
  record Disk(
      String backend,
      String name,
      Long autoCleanupDuration,
      Map<String, String> tags,
      Double size,
      String volumeId,
      String region,
      String availabilityZone)
      implements VolumeConfiguration {
    @Override
    public String externalVolumeId() {
      return volumeId;
    }
  }

  /**
   * A Runpod network volume in a data center ({@code region}). An {@code availability_zone} is
   * taken for older clients' sake, and left out of the JSON, as dstack does.
   */
  @JsonPropertyOrder({"type"})
  record Runpod(
      String backend,
      String name,
      Long autoCleanupDuration,
      Map<String, String> tags,
      Double size,
      String volumeId,
      String region,
      @JsonIgnore String availabilityZone)
      implements VolumeConfiguration {
    @Override
    public String externalVolumeId() {
      return volumeId;
    }
  }

  /**
   * A Kubernetes PersistentVolumeClaim: an existing one ({@code claimName}), or a new one of {@code
   * size} with a storage class and access modes.
   *
   * @param region the cluster (default "")
   */
  @JsonPropertyOrder({"type"})
  record Kubernetes(
      String backend,
      String name,
      Long autoCleanupDuration,
      Map<String, String> tags,
      Double size,
      String region,
      String claimName,
      String storageClassName,
      List<String> accessModes,
      boolean readOnly)
      implements VolumeConfiguration {
    public Kubernetes {
      accessModes = List.copyOf(accessModes);
    }

    @Override
    public String externalVolumeId() {
      return claimName;
    }
  }

  /** A volume of a backend that manages its size and place itself (daytona, lium). */
  @JsonPropertyOrder({"type"})
  record Basic(
      String backend,
      String name,
      Long autoCleanupDuration,
      Map<String, String> tags,
      String volumeId)
      implements VolumeConfiguration {
    @Override
    public String externalVolumeId() {
      return volumeId;
    }
  }

  /** The backends that have volumes. */
  List<String> BACKENDS = List.of("aws", "gcp", "runpod", "kubernetes", "daytona", "lium");

  /** Reads {@code type: volume} configurations. */
  ValueReader<VolumeConfiguration> READER = VolumeConfigurationReader.reader();
}
