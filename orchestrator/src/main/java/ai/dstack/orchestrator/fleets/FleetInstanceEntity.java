package ai.dstack.orchestrator.fleets;

import java.time.Instant;
import java.util.UUID;
import org.springframework.data.relational.core.mapping.Table;

/**
 * An instance of a fleet, stored in {@code fleet_instances} under its fleet and instance number.
 *
 * @param instanceId UUID v4; the fleet workflow knows the instance by it
 * @param name its name, e.g. {@code local-0}
 * @param createdAt when it was first made
 */
@Table("fleet_instances")
record FleetInstanceEntity(UUID instanceId, String name, Instant createdAt) {}
