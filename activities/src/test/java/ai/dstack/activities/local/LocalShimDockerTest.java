package ai.dstack.activities.local;

import static ai.dstack.activities.local.ShimProcesses.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local fleet's agent where a Docker engine answers: the shim runs jobs in containers. */
class LocalShimDockerTest {
  @TempDir Path dir;

  private final List<LocalShim> agents = new ArrayList<>();
  private final List<Long> pids = new ArrayList<>();

  @BeforeEach
  void engine() throws Exception {
    DockerEngineCheck.requireEngine();
  }

  @AfterEach
  void cleanUp() {
    agents.forEach(LocalShim::stop);
    ShimProcesses.cleanUp(dir.resolve("local-shim"), pids);
  }

  @Test
  void autoModeRunsJobsInDockerWhenAnEngineAnswers() throws Exception {
    var shim = new LocalShim(settings(dir.resolve("local-shim")).withMode(LocalShim.Mode.AUTO));
    agents.add(shim);
    var running = shim.start();
    pids.add(running.pid());

    assertEquals("docker", running.engine());
    assertTrue(shim.hostInfo().cpus() > 0);
  }

  @Test
  void forcedDockerModeIsAdoptedAsDocker() throws Exception {
    var settings =
        settings(dir.resolve("local-shim"))
            .withMode(LocalShim.Mode.DOCKER)
            .withOnShutdown(LocalShim.OnShutdown.KEEP);
    var first = new LocalShim(settings);
    agents.add(first);
    var started = first.start();
    pids.add(started.pid());
    first.stop();

    var second = new LocalShim(settings);
    agents.add(second);
    var adopted = second.start();

    assertEquals(started.pid(), adopted.pid());
    assertEquals("docker", adopted.engine());
  }
}
