package ai.dstack.core.configurations;

import ai.dstack.core.profiles.NullValues;
import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;

/** Credentials for pulling a private Docker image. */
public record RegistryAuth(String username, String password) {

  @Override
  public String toString() {
    return "RegistryAuth[username=" + username + ", password=***]";
  }

  private static final Field<String> USERNAME =
      Field.required("username", Readers.STRING, "The registry username");
  private static final Field<String> PASSWORD =
      Field.required("password", Readers.STRING, "The registry password or access token");

  /** The {@code registry_auth} object. */
  public static final ValueReader<RegistryAuth> READER =
      ObjectSpec.of("registry credentials", USERNAME, PASSWORD)
          .reader(
              values -> {
                NullValues.rejectNull(values, USERNAME, PASSWORD);
                return new RegistryAuth(values.get(USERNAME), values.get(PASSWORD));
              });
}
