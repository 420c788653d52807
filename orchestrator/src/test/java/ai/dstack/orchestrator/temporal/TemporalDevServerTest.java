package ai.dstack.orchestrator.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.orchestrator.testing.Processes;
import ai.dstack.orchestrator.testing.TemporalCli;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervised dev server with the real {@code temporal} binary (installed by {@code
 * scripts/ensure-temporal.sh} when missing): start, answer, adopt after a crash, replace what does
 * not answer, start again what dies while supervised, stop.
 */
class TemporalDevServerTest {

  private static final Duration START = Duration.ofSeconds(60);

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
    Processes.signal("STOP", frozen.pid());

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
  void aSupervisedDevServerThatDiesComesBackOnItsPortWithItsWorkflows() throws Exception {
    server = TemporalDevServer.startOrAdopt(options()).awaitReady().supervise();
    String target = server.target();
    long killed = server.pid();
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
    try {
      WorkflowClient client = WorkflowClient.newInstance(stubs);
      client
          .newUntypedWorkflowStub(
              "NoWorkerHostsThis",
              WorkflowOptions.newBuilder()
                  .setWorkflowId("before-the-crash")
                  .setTaskQueue("nobody-polls")
                  .build())
          .start();

      Processes.signal("KILL", killed);
      awaitRestart(killed);

      assertEquals(target, server.target());
      assertTrue(TemporalDevServer.answers(target, Duration.ofSeconds(5)));
      assertTrue(Files.readString(dir.resolve("dev-server.pid")).contains("pid=" + server.pid()));
      // The client's channel, opened before the crash, reconnects by itself.
      assertEquals(
          WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
          client.newUntypedWorkflowStub("before-the-crash").describe().getStatus());
    } finally {
      stubs.shutdownNow();
    }

    ProcessHandle restarted = ProcessHandle.of(server.pid()).orElseThrow();
    server.stop();

    assertFalse(restarted.isAlive());
    assertTrue(devServersOnThisDir().isEmpty(), "stop() ends supervision: nothing comes back");
    server = null;
  }

  @Test
  void aDevServerThatCannotStartAgainIsRetriedWithBackoffUntilItCan() throws Exception {
    // The CLI as a script that refuses to start while a marker file exists.
    Path refuse = dir.resolve("refuse");
    Path cli = dir.resolve("temporal");
    Files.writeString(
        cli,
        "#!/bin/sh\n"
            + "if [ -e '"
            + refuse
            + "' ]; then echo 'refusing to start'; exit 1; fi\n"
            + "exec '"
            + TemporalCli.path()
            + "' \"$@\"\n");
    assertTrue(cli.toFile().setExecutable(true));
    server =
        TemporalDevServer.startOrAdopt(
                new TemporalDevServer.Options(dir, cli.toString(), 0, 0, "default", START))
            .awaitReady()
            .supervise();
    long killed = server.pid();

    Files.createFile(refuse);
    Processes.signal("KILL", killed);
    awaitLog("refusing to start", 2);
    Files.delete(refuse);
    awaitRestart(killed);

    assertTrue(TemporalDevServer.answers(server.target(), Duration.ofSeconds(5)));
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
        dir, TemporalCli.path().toString(), 0, 0, "default", START);
  }

  /** Waits until the supervised dev server runs again, in a process other than {@code killed}. */
  private void awaitRestart(long killed) throws InterruptedException {
    Instant deadline = Instant.now().plus(START);
    while (server.pid() == killed
        || !server.isAlive()
        || !TemporalDevServer.answers(server.target(), Duration.ofSeconds(2))) {
      assertTrue(Instant.now().isBefore(deadline), "the dev server did not come back in " + START);
      Thread.sleep(100);
    }
  }

  /** Waits until the dev server's log holds {@code text} {@code times} times. */
  private void awaitLog(String text, int times) throws Exception {
    Instant deadline = Instant.now().plus(START);
    Path log = dir.resolve("dev-server.log");
    while (Files.readString(log).split(text, -1).length - 1 < times) {
      assertTrue(Instant.now().isBefore(deadline), "no " + times + " times '" + text + "' in log");
      Thread.sleep(100);
    }
  }

  private List<ProcessHandle> devServersOnThisDir() {
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      String database = dir.resolve("temporal.db").toString();
      return all.filter(p -> p.info().commandLine().orElse("").contains(database)).toList();
    }
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
}
