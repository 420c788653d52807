package ai.dstack.core.configurations;

import ai.dstack.core.profiles.NullValues;
import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An SSH key pair given inline: the public key, and the private key when dstack needs to log in
 * with it.
 */
public record SshKey(
    @JsonProperty("public") String publicKey, @JsonProperty("private") String privateKey) {

  private static final Field<String> PUBLIC =
      Field.required("public", Readers.STRING, "The public key");
  private static final Field<String> PRIVATE =
      Field.of("private", Readers.STRING, "The private key");

  /** {@code {public, private}}. */
  public static final ValueReader<SshKey> READER =
      ObjectSpec.of("an SSH key", PUBLIC, PRIVATE)
          .reader(
              v -> {
                NullValues.rejectNull(v, PUBLIC);
                return v.has(PUBLIC) ? new SshKey(v.get(PUBLIC), v.get(PRIVATE)) : null;
              });
}
