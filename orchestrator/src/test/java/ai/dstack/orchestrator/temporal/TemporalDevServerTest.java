package ai.dstack.orchestrator.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.orchestrator.testing.Processes;
import ai.dstack.orchestrator.testing.TemporalCli;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervised dev server with the real {@code temporal} binary (installed by {@code
 * scripts/ensure-temporal.sh} when missing): start, answer, adopt after a crash, replace what does
 * not answer, stop.
 */
class TemporalDevServerTest {

  @TempDir Path dir;

  private TemporalDevServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void startsAnswersWithDstacksSearchAttributesAndStops() {
    server = TemporalDevServer.startOrAdopt(options()).awaitReady();

    assertTrue(TemporalDevServer.answers(server.target(), Duration.ofSeconds(5)));
    assertTrue(
        customSearchAttributes(server.target(), "default").containsAll(SearchAttributes.ALL));
    assertTrue(Files.exists(dir.resolve("temporal.db")));
    assertTrue(Files.exists(dir.resolve("dev-server.pid")));

    server.stop();

    assertFalse(server.isAlive());
    assertFalse(Files.exists(dir.resolve("dev-server.pid")));
    server = null;
  }

  @Test
  void aNewServerAdoptsTheDevServerACrashedOneLeftRunning() {
    TemporalDevServer first = TemporalDevServer.startOrAdopt(options()).awaitReady();

    // The dstack server was killed: nothing stopped the dev server.
    server = TemporalDevServer.startOrAdopt(options()).awaitReady();

    assertTrue(server.adopted());
    assertEquals(first.pid(), server.pid());
    assertEquals(first.target(), server.target());
  }

  @Test
  void anUnresponsiveDevServerIsReplaced() {
    TemporalDevServer frozen = TemporalDevServer.startOrAdopt(options()).awaitReady();
    signal("STOP", frozen.pid());

    server = TemporalDevServer.startOrAdopt(options()).awaitReady();

    assertFalse(server.adopted());
    assertNotEquals(frozen.pid(), server.pid());
    assertFalse(frozen.isAlive());
  }

  @Test
  void aStalePidFileNamingAnotherProcessIsIgnored() throws Exception {
    Process unrelated = new ProcessBuilder("sleep", "60").start();
    try {
      Files.writeString(
          dir.resolve("dev-server.pid"), "pid=" + unrelated.pid() + "\nport=1\nui_port=2\n");

      server = TemporalDevServer.startOrAdopt(options()).awaitReady();

      assertFalse(server.adopted());
      assertTrue(unrelated.isAlive());
    } finally {
      unrelated.destroyForcibly();
    }
  }

  @Test
  void searchAttributesAreRegisteredOnAnExistingCluster() {
    server = TemporalDevServer.startOrAdopt(options()).awaitReady();
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(server.target()).build());
    try {
      stubs
          .blockingStub()
          .registerNamespace(
              RegisterNamespaceRequest.newBuilder()
                  .setNamespace("elsewhere")
                  .setWorkflowExecutionRetentionPeriod(
                      com.google.protobuf.Duration.newBuilder().setSeconds(86400))
                  .build());

      assertTrue(SearchAttributeRegistration.ensure(stubs, "elsewhere"));
      assertTrue(SearchAttributeRegistration.ensure(stubs, "elsewhere"));
      assertTrue(
          customSearchAttributes(server.target(), "elsewhere").containsAll(SearchAttributes.ALL));
    } finally {
      stubs.shutdownNow();
    }
  }

  private TemporalDevServer.Options options() {
    return new TemporalDevServer.Options(
        dir, TemporalCli.path().toString(), 0, 0, "default", Duration.ofSeconds(60));
  }

  private static Set<String> customSearchAttributes(String target, String namespace) {
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setChannel(stubs.getRawChannel())
                .validateAndBuildWithDefaults());
    try {
      return operator
          .blockingStub()
          .listSearchAttributes(
              ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())
          .getCustomAttributesMap()
          .keySet();
    } finally {
      operator.shutdownNow();
      stubs.shutdownNow();
    }
  }

  private static void signal(String signal, long pid) {
    Processes.Result result =
        Processes.run(
            List.of("kill", "-" + signal, Long.toString(pid)),
            null,
            Map.of(),
            Duration.ofSeconds(5));
    assertEquals(0, result.exitCode(), result.output());
  }
}
