package ai.dstack.orchestrator.users;

import java.util.List;
import java.util.UUID;

/** What other features hear about users, inside the transaction that changed them. */
public final class UserEvents {
  private UserEvents() {}

  /**
   * Users were deleted; their memberships go with them.
   *
   * @param userIds the deleted users
   */
  public record UsersDeleted(List<UUID> userIds) {}

  /**
   * A user got a new token.
   *
   * @param username whose token
   * @param token the new token (shown once; only its hash is stored)
   */
  public record TokenChanged(String username, String token) {}
}
