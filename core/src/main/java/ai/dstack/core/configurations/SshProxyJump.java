package ai.dstack.core.configurations;

import ai.dstack.core.profiles.NullValues;
import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;

/**
 * The jump host an SSH fleet's hosts are reached through ({@code ssh -J}). Hostname, user and
 * identity file are required; port defaults to SSH's.
 */
public record SshProxyJump(
    String hostname, Long port, String user, String identityFile, SshKey sshKey) {

  private static final Field<String> HOSTNAME =
      Field.required("hostname", Readers.STRING, "The IP address or domain of the proxy host");
  private static final Field<Long> PORT =
      Field.of("port", Readers.INTEGER, "The SSH port of the proxy host");
  private static final Field<String> USER =
      Field.required("user", Readers.STRING, "The user to log in with on the proxy host");
  private static final Field<String> IDENTITY_FILE =
      Field.required(
          "identity_file", Readers.STRING, "The private key to log in to the proxy host with");
  private static final Field<SshKey> SSH_KEY =
      Field.of("ssh_key", SshKey.READER, "The key pair to log in to the proxy host with, inline");

  /** {@code {hostname, port, user, identity_file}}. */
  public static final ValueReader<SshProxyJump> READER =
      ObjectSpec.of("a proxy jump host", HOSTNAME, PORT, USER, IDENTITY_FILE, SSH_KEY)
          .reader(
              v -> {
                NullValues.rejectNull(v, HOSTNAME, USER, IDENTITY_FILE);
                if (!v.has(HOSTNAME) || !v.has(USER) || !v.has(IDENTITY_FILE)) {
                  return null;
                }
                return new SshProxyJump(
                    v.get(HOSTNAME),
                    v.get(PORT),
                    v.get(USER),
                    v.get(IDENTITY_FILE),
                    v.get(SSH_KEY));
              });
}
