package ai.dstack.core.agents.runner;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The key pair nodes of a multi-node job use to reach each other (dstack's {@code JobSSHKey}, whose
 * fields are {@code private} and {@code public}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobSshKey(
    @JsonProperty("private") String privateKey, @JsonProperty("public") String publicKey) {
  @Override
  public String toString() {
    return "JobSshKey[redacted]";
  }
}
