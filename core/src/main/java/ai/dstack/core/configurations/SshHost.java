package ai.dstack.core.configurations;

import ai.dstack.core.yaml.ValueReader;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * One host of an SSH fleet: a bare hostname (connected to with the fleet's defaults), or the
 * hostname with parameters that override them. JSON as dstack writes it: a string, or an object.
 */
public sealed interface SshHost {

  /** The IP address or domain to connect to. */
  String hostname();

  /** A host written as its hostname alone. */
  record Address(String hostname) implements SshHost {
    @JsonValue
    @Override
    public String hostname() {
      return hostname;
    }
  }

  /**
   * A host with its own connection parameters; null ones fall back to the fleet's.
   *
   * @param internalIp the host's private address inside the cluster (null: found from {@code
   *     network}, or the first internal network)
   * @param blocks how many blocks the host is split into (null: the fleet's {@code blocks})
   */
  record Params(
      String hostname,
      Long port,
      String user,
      String identityFile,
      SshProxyJump proxyJump,
      String internalIp,
      SshKey sshKey,
      Blocks blocks)
      implements SshHost {}

  /** A hostname (numbers are taken as text), or an object with {@code hostname} and overrides. */
  ValueReader<SshHost> READER = SshHostReader.READER;
}
