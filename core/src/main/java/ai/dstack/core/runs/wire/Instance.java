package ai.dstack.core.runs.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.UUID;

/**
 * An instance of a fleet, dstack's {@code Instance} ({@code Fleet.instances}).
 *
 * @param backend a backend type dstack knows ({@code remote} for hosts of SSH fleets), or null
 * @param instanceNum the instance's number within its fleet
 * @param jobName the job the instance runs, or null
 * @param status pending, provisioning, idle, busy, terminating or terminated
 * @param healthStatus healthy, warning or failure
 * @param totalBlocks how many blocks the instance is split into, or null
 * @param busyBlocks how many are taken
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Instance(
    UUID id,
    String projectName,
    String backend,
    InstanceType instanceType,
    String name,
    UUID fleetId,
    String fleetName,
    int instanceNum,
    String jobName,
    String hostname,
    String status,
    boolean unreachable,
    String healthStatus,
    String terminationReason,
    String terminationReasonMessage,
    @JsonSerialize(using = Timestamps.Serializer.class)
        @JsonDeserialize(using = Timestamps.Deserializer.class)
        Instant created,
    @JsonSerialize(using = Timestamps.Serializer.class)
        @JsonDeserialize(using = Timestamps.Deserializer.class)
        Instant finishedAt,
    String region,
    String availabilityZone,
    Double price,
    Integer totalBlocks,
    int busyBlocks,
    JobProvisioningData.GpuDriverInfo gpuDriver) {

  public Instance {
    if (id == null || projectName == null || name == null || created == null) {
      throw new IllegalArgumentException("an instance needs id, project_name, name and created");
    }
    backend = WireValues.backend(backend, true);
    status = WireValues.check("instance status", status, WireValues.INSTANCE_STATUSES, false);
    healthStatus =
        WireValues.check(
            "health_status",
            healthStatus == null ? "healthy" : healthStatus,
            WireValues.HEALTH_STATUSES,
            false);
  }
}
