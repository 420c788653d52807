package ai.dstack.core.configurations;

import ai.dstack.core.profiles.NullValues;
import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.FieldPath;
import ai.dstack.core.yaml.Node;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Problems;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;
import java.util.List;
import java.util.Map;

/** Reads the items of {@code ssh_config.hosts}: a hostname, or an object with overrides. */
final class SshHostReader {
  private SshHostReader() {}

  private static final Field<String> HOSTNAME =
      Field.required("hostname", Readers.STRING, "The IP address or domain to connect to");
  private static final Field<Long> PORT =
      Field.of("port", Readers.INTEGER, "The SSH port to connect to for this host");
  private static final Field<String> USER =
      Field.of("user", Readers.STRING, "The user to log in with on this host");
  private static final Field<String> IDENTITY_FILE =
      Field.of("identity_file", Readers.STRING, "The private key to log in to this host with");
  private static final Field<SshProxyJump> PROXY_JUMP =
      Field.of("proxy_jump", SshProxyJump.READER, "The jump host to reach this host through");
  private static final Field<String> INTERNAL_IP =
      Field.of(
          "internal_ip",
          IpAddresses.PRIVATE_ADDRESS,
          "The private IP address of the host inside the cluster (default: one from `network`, or"
              + " from the first internal network found)");
  private static final Field<SshKey> SSH_KEY =
      Field.of("ssh_key", SshKey.READER, "The key pair to log in to this host with, inline");
  private static final Field<Blocks> BLOCKS =
      Field.of(
          "blocks",
          Blocks.READER,
          "The number of blocks to split this host into, or auto (default: the fleet's `blocks`)");
  private static final ObjectSpec PARAMS =
      ObjectSpec.of(
          "an SSH host",
          HOSTNAME,
          PORT,
          USER,
          IDENTITY_FILE,
          PROXY_JUMP,
          INTERNAL_IP,
          SSH_KEY,
          BLOCKS);

  static final ValueReader<SshHost> READER =
      ValueReader.of(
          Map.of("anyOf", List.of(Map.of("type", "string"), PARAMS.schema())), SshHostReader::read);

  private static SshHost read(Node node, FieldPath path, Problems problems) {
    if (node instanceof Node.Mapping) {
      var v = PARAMS.read(node, path, problems);
      NullValues.rejectNull(v, HOSTNAME);
      if (!v.has(HOSTNAME)) {
        return null;
      }
      return new SshHost.Params(
          v.get(HOSTNAME),
          v.get(PORT),
          v.get(USER),
          v.get(IDENTITY_FILE),
          v.get(PROXY_JUMP),
          v.get(INTERNAL_IP),
          v.get(SSH_KEY),
          v.get(BLOCKS));
    }
    if (node instanceof Node.Scalar s
        && (s.type() == Node.ScalarType.STR
            || s.type() == Node.ScalarType.INT
            || s.type() == Node.ScalarType.FLOAT)) {
      return new SshHost.Address(Readers.STRING.read(node, path, problems));
    }
    return problems.add(
        node,
        path,
        "expected a hostname or an object with `hostname` (and port, user, identity_file, ...),"
            + " got "
            + node.describe());
  }
}
