package ai.dstack.orchestrator.secrets;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.relational.core.sql.LockMode;
import org.springframework.data.relational.repository.Lock;
import org.springframework.data.repository.ListCrudRepository;

/** A project's secrets, by name (case-sensitively, as in dstack). */
interface SecretRepository extends ListCrudRepository<SecretEntity, UUID> {

  /** Newest first, as dstack lists them. */
  List<SecretEntity> findByProjectIdOrderByCreatedAtDescNameAsc(UUID projectId);

  List<SecretEntity> findByProjectIdOrderByName(UUID projectId);

  Optional<SecretEntity> findByProjectIdAndName(UUID projectId, String name);

  /** The secret, locked until the transaction ends, so concurrent updates take turns. */
  @Lock(LockMode.PESSIMISTIC_WRITE)
  Optional<SecretEntity> findForUpdateByProjectIdAndName(UUID projectId, String name);

  List<SecretEntity> findByProjectIdAndNameIn(UUID projectId, Collection<String> names);
}
