package ai.dstack.orchestrator.users;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.repository.ListCrudRepository;

/** Users by name, token hash and email; {@link UserListing} pages through them. */
public interface UserRepository extends ListCrudRepository<UserEntity, UUID>, UserListing {

  Optional<UserEntity> findByNameAndDeletedFalse(String name);

  Optional<UserEntity> findByNameIgnoreCaseAndDeletedFalse(String name);

  List<UserEntity> findByNameInAndDeletedFalse(Collection<String> names);

  List<UserEntity> findByEmailInAndDeletedFalse(Collection<String> emails);
}
