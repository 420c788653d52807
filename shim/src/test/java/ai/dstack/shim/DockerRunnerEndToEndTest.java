package ai.dstack.shim;

import ai.dstack.shim.testing.DockerEngine;
import org.junit.jupiter.api.BeforeAll;

/** The real runner in a container of the locally built base image. */
class DockerRunnerEndToEndTest extends RunnerEndToEndContract {

  @BeforeAll
  static void requireDocker() {
    DockerEngine.requireWithBaseImage();
  }

  @Override
  String mode() {
    return "docker";
  }

  @Override
  String image() {
    return DockerEngine.BASE_IMAGE;
  }

  @Override
  String jobDir() {
    return "/tmp/job";
  }
}
