package ai.dstack.core.api.users;

/**
 * A user's credentials.
 *
 * @param token the bearer token
 */
public record UserTokenCreds(String token) {}
