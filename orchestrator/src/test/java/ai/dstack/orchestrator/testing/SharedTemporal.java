package ai.dstack.orchestrator.testing;

import ai.dstack.orchestrator.temporal.TemporalDevServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One Temporal dev server for every Spring context of the test run, on free ports in a temp dir;
 * the contexts reach it as an existing cluster ({@code DSTACK_TEMPORAL_ADDRESS}). Stopped when the
 * test JVM exits.
 */
public final class SharedTemporal {
  private SharedTemporal() {}

  private static TemporalDevServer server;

  /** {@code host:port} of the shared dev server, started on first use. */
  public static synchronized String target() {
    if (server == null) {
      Path dir;
      try {
        dir = Files.createTempDirectory("dstack-temporal-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      server =
          TemporalDevServer.startOrAdopt(
                  new TemporalDevServer.Options(
                      dir, TemporalCli.path().toString(), 0, 0, "default", Duration.ofSeconds(60)))
              .awaitReady();
      TemporalDevServer started = server;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    started.stop();
                    TempDirs.delete(dir);
                  }));
    }
    return server.target();
  }

  private static final java.util.concurrent.atomic.AtomicInteger namespaces =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * A new namespace on the shared dev server, so each server context has its own workflows, task
   * queue and fleet workflows, as separate deployments would.
   */
  public static String newNamespace() {
    var name = "test-" + ProcessHandle.current().pid() + "-" + namespaces.incrementAndGet();
    var stubs =
        io.temporal.serviceclient.WorkflowServiceStubs.newServiceStubs(
            io.temporal.serviceclient.WorkflowServiceStubsOptions.newBuilder()
                .setTarget(target())
                .build());
    try {
      stubs
          .blockingStub()
          .registerNamespace(
              io.temporal.api.workflowservice.v1.RegisterNamespaceRequest.newBuilder()
                  .setNamespace(name)
                  .setWorkflowExecutionRetentionPeriod(
                      com.google.protobuf.Duration.newBuilder().setSeconds(86_400))
                  .build());
    } finally {
      stubs.shutdown();
    }
    return name;
  }
}
