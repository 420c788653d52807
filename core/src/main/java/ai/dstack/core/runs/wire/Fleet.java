package ai.dstack.core.runs.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A fleet as {@code fleets/get}, {@code fleets/list} and {@code fleets/apply} return it, dstack's
 * {@code Fleet}.
 *
 * @param spec the stored {@code FleetSpec} JSON, {@code configuration} and {@code profile} at
 *     least, SSH private keys removed
 * @param status submitted, active, terminating, terminated or failed
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Fleet(
    UUID id,
    String name,
    String projectName,
    ObjectNode spec,
    @JsonSerialize(using = Timestamps.Serializer.class)
        @JsonDeserialize(using = Timestamps.Deserializer.class)
        Instant createdAt,
    String status,
    String statusMessage,
    List<Instance> instances) {

  public Fleet {
    if (id == null || name == null || projectName == null || createdAt == null) {
      throw new IllegalArgumentException("a fleet needs id, name, project_name and created_at");
    }
    if (spec == null || !spec.has("configuration") || !spec.has("profile")) {
      throw new IllegalArgumentException("a fleet spec needs configuration and profile");
    }
    spec = spec.deepCopy();
    status = WireValues.check("fleet status", status, WireValues.FLEET_STATUSES, false);
    instances = instances == null ? List.of() : List.copyOf(instances);
  }

  @Override
  public ObjectNode spec() {
    return spec.deepCopy();
  }
}
