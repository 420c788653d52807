package ai.dstack.orchestrator.users;

import ai.dstack.orchestrator.persistence.Keyset;
import java.util.List;

/** The users list of {@code users/list}: live users, filtered by name, paged. */
public interface UserListing {

  /** One page of live users whose name contains {@code namePattern} (any, when null). */
  List<UserEntity> findPage(String namePattern, Keyset keyset);

  /** How many live users match, ignoring paging. */
  long countMatching(String namePattern);
}
