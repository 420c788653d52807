package ai.dstack.core.api.secrets;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code secrets/get}.
 *
 * @param name the secret to show, with its value
 */
public record GetSecretRequest(@JsonProperty(required = true) String name) {}
