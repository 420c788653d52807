package ai.dstack.orchestrator.projects;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

/** Projects by name, owner and member; {@link ProjectListing} pages through them. */
interface ProjectRepository extends ListCrudRepository<ProjectEntity, UUID>, ProjectListing {

  Optional<ProjectEntity> findByNameIgnoreCaseAndDeletedFalse(String name);

  List<ProjectEntity> findByNameInAndDeletedFalse(Collection<String> names);

  long countByOwnerIdAndDeletedFalse(UUID ownerId);

  @Query(
      "SELECT p.* FROM projects p WHERE p.id IN"
          + " (SELECT m.project_id FROM members m WHERE m.user_id IN (:userIds))")
  List<ProjectEntity> findWithMembers(Collection<UUID> userIds);
}
