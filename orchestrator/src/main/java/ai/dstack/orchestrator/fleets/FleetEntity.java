package ai.dstack.orchestrator.fleets;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.MappedCollection;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A fleet as stored: its identity, which stays the same across restarts, with its instances.
 *
 * @param id UUID v4
 * @param version optimistic lock
 * @param projectId its project, or null for the server's local fleet, which every project sees
 * @param name its name, e.g. {@code local}
 * @param createdAt when it was first made, millisecond precision
 * @param deleted deleted fleets are kept
 * @param instances its instances, by instance number
 */
@Table("fleets")
record FleetEntity(
    @Id UUID id,
    @Version Long version,
    UUID projectId,
    String name,
    Instant createdAt,
    boolean deleted,
    @MappedCollection(idColumn = "fleet_id", keyColumn = "instance_num")
        List<FleetInstanceEntity> instances) {

  FleetEntity {
    instances = List.copyOf(instances);
  }
}
