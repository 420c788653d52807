package ai.dstack.orchestrator.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.orchestrator.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshKeyPairTest {

  @Test
  void openSshAcceptsBothKeysAndTheyMatch(@TempDir Path dir) throws Exception {
    SshKeyPair keys = SshKeyPair.generate("alice");
    Path privateKey = dir.resolve("id");
    Files.writeString(privateKey, keys.privateKey());
    Files.setPosixFilePermissions(privateKey, PosixFilePermissions.fromString("rw-------"));
    Path publicKey = dir.resolve("id.pub");
    Files.writeString(publicKey, keys.publicKey());

    Processes.Result derived =
        Processes.run(
            List.of("ssh-keygen", "-y", "-f", privateKey.toString()),
            dir,
            Map.of(),
            Duration.ofSeconds(30));
    Processes.Result fingerprint =
        Processes.run(
            List.of("ssh-keygen", "-l", "-f", publicKey.toString()),
            dir,
            Map.of(),
            Duration.ofSeconds(30));

    assertEquals(0, derived.exitCode(), derived.output());
    assertEquals(
        keys.publicKey().replace(" alice\n", ""),
        derived.output().strip().replaceAll(" .*@.*$", ""));
    assertTrue(fingerprint.output().startsWith("2048 SHA256:"), fingerprint.output());
    assertTrue(keys.publicKey().endsWith(" alice\n"));
  }
}
