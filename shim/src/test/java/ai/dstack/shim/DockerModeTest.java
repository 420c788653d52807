package ai.dstack.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.agents.shim.TaskInfoResponse;
import ai.dstack.core.agents.shim.TaskStatus;
import ai.dstack.core.agents.shim.TaskSubmitRequest;
import ai.dstack.shim.docker.DockerTaskEngine;
import ai.dstack.shim.testing.DockerEngine;
import ai.dstack.shim.testing.ShimProcess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tasks as containers on the real Docker engine, from the locally built base image. Skipped without
 * an engine unless DSTACK_TEST_DOCKER=required, then failed.
 */
class DockerModeTest extends TaskLifecycleContract {

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
  boolean workloadLeft(String taskId) throws Exception {
    return !docker(
            "ps", "-aq", "--filter", "label=" + DockerTaskEngine.LABEL_TASK_ID + "=" + taskId)
        .isBlank();
  }

  @Test
  void labelsItsContainersAndMountsTheRunnerReadOnly() throws Exception {
    TaskSubmitRequest request = task(ShimProcess.freePort());
    TaskInfoResponse running = startTask(request);
    String inspect =
        docker(
            "inspect",
            "--format",
            "{{index .Config.Labels \"ai.dstack.shim.is-task\"}} {{index .Config.Labels"
                + " \"ai.dstack.shim.home\"}} {{.HostConfig.NetworkMode}} {{range .Mounts}}{{.Destination}}:{{.RW}} {{end}}",
            running.containerId());
    assertTrue(inspect.startsWith("true " + home.toRealPath() + " host "), inspect);
    assertTrue(inspect.contains("/dstack/runner.jar:false"), inspect);
    assertTrue(inspect.contains("/dstack/java:false"), inspect);
    assertEquals(
        running.containerName(),
        docker("inspect", "--format", "{{.Name}}", running.containerId()).strip().substring(1));
  }

  @Test
  void anImageThatCannotBePulledTerminatesWithAClearMessage() {
    String id = UUID.randomUUID().toString();
    shim.submit(TaskSubmitRequest.of(id, "test", "dstack-test/no-such-image:1", 0));
    TaskInfoResponse failed = shim.awaitStatus(id, TaskStatus.TERMINATED, Duration.ofMinutes(2));
    assertEquals("creating_container_error", failed.terminationReason());
    assertTrue(
        failed.terminationMessage().startsWith("cannot pull image dstack-test/no-such-image:1: "),
        failed.terminationMessage());
    assertTrue(failed.imagePullProgress() != null, "the pull was tried");
  }

  static String docker(String... args) throws Exception {
    var command = new java.util.ArrayList<String>();
    command.add("docker");
    command.addAll(java.util.List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }
}
