package ai.dstack.core.api.secrets;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The body of {@code secrets/delete}.
 *
 * @param secretsNames the secrets to delete; all must exist, or none is deleted
 */
public record DeleteSecretsRequest(@JsonProperty(required = true) List<String> secretsNames) {}
