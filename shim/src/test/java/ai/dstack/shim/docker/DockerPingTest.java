package ai.dstack.shim.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick ping that chooses the mode says why an engine does not answer. */
class DockerPingTest {

  @Test
  void saysWhyNoEngineAnswers(@TempDir Path dir) {
    Optional<String> why =
        DockerPing.unreachable(Map.of("DOCKER_HOST", "unix://" + dir.resolve("docker.sock")));
    assertTrue(why.isPresent());
    assertTrue(why.get().startsWith("unix://" + dir.resolve("docker.sock")), why.get());
  }

  @Test
  void refusesHostsItCannotReach() {
    assertEquals(
        Optional.of("unsupported DOCKER_HOST ssh://example"),
        DockerPing.unreachable(Map.of("DOCKER_HOST", "ssh://example")));
  }
}
