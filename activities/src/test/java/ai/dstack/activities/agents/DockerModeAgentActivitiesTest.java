package ai.dstack.activities.agents;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The agent activities against the shim in Docker mode: the job's runner in a container of the
 * locally built base image. Skipped without a Docker engine, unless {@code
 * DSTACK_TEST_DOCKER=required}: then the engine is started and the image built if need be (both
 * scripts are idempotent), and their absence is a failure.
 */
class DockerModeAgentActivitiesTest extends AgentActivitiesContract {
  static final String BASE_IMAGE = "dstack-base:local";
  static final Path REPO = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();

  @Override
  @BeforeAll
  void startShim() throws IOException {
    requireDockerWithBaseImage();
    super.startShim();
  }

  @Override
  String mode() {
    return "docker";
  }

  @Override
  String image() {
    return BASE_IMAGE;
  }

  @Override
  String jobDir(String name) {
    return "/tmp/job-" + name;
  }

  static void requireDockerWithBaseImage() {
    boolean required = "required".equals(System.getenv("DSTACK_TEST_DOCKER"));
    if (!succeeds("docker", "info") && required) {
      run(REPO.resolve("scripts/ensure-docker.sh").toString());
    }
    if (!succeeds("docker", "info")) {
      String why = "no Docker engine answers `docker info`";
      if (required) {
        fail(
            why + " although DSTACK_TEST_DOCKER=required; start one with scripts/ensure-docker.sh");
      }
      Assumptions.abort(why + "; set DSTACK_TEST_DOCKER=required to make this a failure");
    }
    if (!succeeds("docker", "image", "inspect", BASE_IMAGE) && required) {
      run(REPO.resolve("docker/build-base-image.sh").toString());
    }
    if (!succeeds("docker", "image", "inspect", BASE_IMAGE)) {
      String why = "no image " + BASE_IMAGE + "; build it with docker/build-base-image.sh";
      if (required) {
        fail(why + " (DSTACK_TEST_DOCKER=required)");
      }
      Assumptions.abort(why);
    }
  }

  private static boolean succeeds(String... command) {
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void run(String script) {
    try {
      Process p = new ProcessBuilder(List.of(script)).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(20, TimeUnit.MINUTES) || p.exitValue() != 0) {
        System.err.println(script + " failed:\n" + output);
      }
    } catch (IOException e) {
      System.err.println("cannot run " + script + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
