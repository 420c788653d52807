package ai.dstack.core.api.users;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code users/get_user}.
 *
 * @param username the user to show
 */
public record GetUserRequest(@JsonProperty(required = true) String username) {}
