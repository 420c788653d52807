package ai.dstack.orchestrator.auth;

import ai.dstack.core.api.users.GlobalRole;
import java.util.UUID;

/**
 * The user a request's bearer token belongs to.
 *
 * @param userId the user's id
 * @param username the user's name
 * @param email the user's email, or null
 * @param globalRole the user's role on the whole server
 * @param token the token the request presented (the server keeps only its hash)
 */
public record Caller(
    UUID userId, String username, String email, GlobalRole globalRole, String token) {

  /** Whether the caller is a global admin, who may do anything. */
  public boolean isGlobalAdmin() {
    return globalRole == GlobalRole.ADMIN;
  }

  /** Whether {@code usernameOrEmail} names the caller, as dstack's member settings may. */
  public boolean isNamed(String usernameOrEmail) {
    return username.equals(usernameOrEmail) || (email != null && email.equals(usernameOrEmail));
  }
}
