package ai.dstack.core.configurations;

import ai.dstack.core.profiles.NullValues;
import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;
import java.util.List;

/**
 * How dstack reaches the hosts of an SSH fleet (on-prem or pre-provisioned machines): defaults for
 * every host (user, port, key, jump host), the hosts themselves, and the private network the hosts
 * talk to each other over.
 */
public record SshConfig(
    String user,
    Long port,
    String identityFile,
    SshKey sshKey,
    SshProxyJump proxyJump,
    List<SshHost> hosts,
    String network) {

  public SshConfig {
    hosts = List.copyOf(hosts);
  }

  private static final Field<String> USER =
      Field.of("user", Readers.STRING, "The user to log in with on all hosts");
  private static final Field<Long> PORT =
      Field.of("port", Readers.INTEGER, "The SSH port to connect to");
  private static final Field<String> IDENTITY_FILE =
      Field.of("identity_file", Readers.STRING, "The private key to log in to all hosts with");
  private static final Field<SshKey> SSH_KEY =
      Field.of("ssh_key", SshKey.READER, "The key pair to log in to all hosts with, inline");
  private static final Field<SshProxyJump> PROXY_JUMP =
      Field.of("proxy_jump", SshProxyJump.READER, "The jump host to reach all hosts through");
  private static final Field<List<SshHost>> HOSTS =
      Field.required(
          "hosts",
          Readers.listOf(SshHost.READER),
          "The hosts to add: each a hostname, or an object with `hostname` that overrides the defaults");
  private static final Field<String> NETWORK =
      Field.of(
          "network",
          IpAddresses.PRIVATE_NETWORK,
          "The private network the hosts talk to each other over, `<ip>/<prefix>` (default: the"
              + " first internal network found)");

  /** The {@code ssh_config} of a fleet. */
  public static final ValueReader<SshConfig> READER =
      ObjectSpec.of(
              "an SSH fleet config", USER, PORT, IDENTITY_FILE, SSH_KEY, PROXY_JUMP, HOSTS, NETWORK)
          .reader(
              v -> {
                NullValues.rejectNull(v, HOSTS);
                if (!v.has(HOSTS)) {
                  return null;
                }
                return new SshConfig(
                    v.get(USER),
                    v.get(PORT),
                    v.get(IDENTITY_FILE),
                    v.get(SSH_KEY),
                    v.get(PROXY_JUMP),
                    v.get(HOSTS),
                    v.get(NETWORK));
              });
}
