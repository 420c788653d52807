package ai.dstack.core.api.users;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code users/create} and {@code users/update} (dstack uses one model for both).
 *
 * @param username the user to create or update
 * @param globalRole their role on the whole server
 * @param email optional
 * @param active defaults to true
 */
public record CreateUserRequest(
    @JsonProperty(required = true) String username,
    @JsonProperty(required = true) GlobalRole globalRole,
    String email,
    Boolean active) {

  /** Whether the user is active: true unless the request says otherwise. */
  public boolean isActive() {
    return active == null || active;
  }
}
