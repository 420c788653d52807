package ai.dstack.shim.testing;

import static org.junit.jupiter.api.Assertions.fail;

import ai.dstack.shim.docker.DockerPing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * What Docker tests need: an engine and the local base image. Without them the tests are skipped,
 * unless {@code DSTACK_TEST_DOCKER=required}: then this runs {@code scripts/ensure-docker.sh} and
 * {@code docker/build-base-image.sh} (both idempotent) and fails with a clear message if that does
 * not help.
 */
public final class DockerEngine {
  private DockerEngine() {}

  /** The image the Docker tests run: built locally, no registry needed. */
  public static final String BASE_IMAGE = "dstack-base:local";

  static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

  public static boolean required() {
    return "required".equals(System.getenv("DSTACK_TEST_DOCKER"));
  }

  /** Returns when the engine answers and the base image is there; skips or fails otherwise. */
  public static void requireWithBaseImage() {
    Optional<String> unreachable = DockerPing.unreachable(System.getenv());
    if (unreachable.isPresent() && required()) {
      run("scripts/ensure-docker.sh");
      unreachable = DockerPing.unreachable(System.getenv());
    }
    if (unreachable.isPresent()) {
      String why = "no Docker engine answers (" + unreachable.get() + ")";
      if (required()) {
        fail(
            why + " although DSTACK_TEST_DOCKER=required; start one with scripts/ensure-docker.sh");
      }
      Assumptions.abort(why + "; set DSTACK_TEST_DOCKER=required to make this a failure");
    }
    if (!imageExists()) {
      if (required()) {
        run("docker/build-base-image.sh");
      }
      if (!imageExists()) {
        String why = "no image " + BASE_IMAGE + "; build it with docker/build-base-image.sh";
        if (required()) {
          fail(why + " (DSTACK_TEST_DOCKER=required)");
        }
        Assumptions.abort(why);
      }
    }
  }

  private static boolean imageExists() {
    try {
      Process p =
          new ProcessBuilder("docker", "image", "inspect", BASE_IMAGE)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void run(String script) {
    try {
      Process p =
          new ProcessBuilder(List.of(REPO.resolve(script).toString()))
              .redirectErrorStream(true)
              .start();
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
