package ai.dstack.orchestrator.users;

import ai.dstack.orchestrator.auth.Caller;
import ai.dstack.orchestrator.persistence.Keyset;
import java.util.List;
import java.util.Optional;

/**
 * The users list of {@code users/list} (live users, filtered by name, paged), and the caller of
 * every request by token.
 */
public interface UserListing {

  /** One page of live users whose name contains {@code namePattern} (any, when null). */
  List<UserEntity> findPage(String namePattern, Keyset keyset);

  /** How many live users match, ignoring paging. */
  long countMatching(String namePattern);

  /**
   * The active, not deleted user whose token hashes to {@code tokenHash}, as a request's caller
   * holding {@code token}: one plain query, as every request makes it.
   */
  Optional<Caller> findCaller(String tokenHash, String token);
}
