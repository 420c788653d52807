package ai.dstack.core.api.secrets;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code secrets/create_or_update}: sets the secret, creating it if it is new.
 *
 * @param name {@code [A-Za-z0-9-_]{1,200}}
 * @param value at most 5000 characters
 */
public record CreateOrUpdateSecretRequest(
    @JsonProperty(required = true) String name, @JsonProperty(required = true) String value) {

  /** Masks the value, so a logged request does not leak it. */
  @Override
  public String toString() {
    return "CreateOrUpdateSecretRequest[name=" + name + ", value=" + Masked.of(value) + "]";
  }
}
