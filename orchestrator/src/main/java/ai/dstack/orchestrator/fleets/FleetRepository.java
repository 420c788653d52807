package ai.dstack.orchestrator.fleets;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.repository.ListCrudRepository;

/** Fleets and their instances. */
interface FleetRepository extends ListCrudRepository<FleetEntity, UUID> {

  /** The server's fleet of this name (one every project sees), if made. */
  Optional<FleetEntity> findFirstByProjectIdIsNullAndNameAndDeletedFalse(String name);
}
