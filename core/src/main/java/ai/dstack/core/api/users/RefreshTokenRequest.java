package ai.dstack.core.api.users;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code users/refresh_token}.
 *
 * @param username whose token to replace
 */
public record RefreshTokenRequest(@JsonProperty(required = true) String username) {}
