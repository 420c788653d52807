package ai.dstack.orchestrator.testing;

import ai.dstack.orchestrator.DstackServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfiguration;

/**
 * The whole server on SQLite with its local fleet on, the shim running jobs as processes (no Docker
 * needed), against the shared Temporal dev server in a namespace of its own; every class with it
 * shares one context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
    classes = DstackServer.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = OnLocalFleet.Initializer.class)
public @interface OnLocalFleet {

  /** The server dir, the admin token and Temporal as the other test contexts have them. */
  class Initializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    /** How the shim runs jobs: {@code process} here. */
    protected String mode() {
      return "process";
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
      Path dir;
      try {
        dir = Files.createTempDirectory("dstack-server-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      // The context stops the shim at exit (in a shutdown hook of its own), which needs its state
      // dir: delete the dir only once the shim is gone.
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    context.close();
                    awaitShimStopped(dir.resolve("local-shim"));
                    TempDirs.delete(dir);
                  }));
      TestPropertyValues.of(
              Map.of(
                  "dstack.server.dir",
                  dir.toString(),
                  "dstack.server.admin.token",
                  ServerContexts.ADMIN_TOKEN,
                  "dstack.server.update-default-project",
                  "no",
                  "dstack.temporal.address",
                  SharedTemporal.target(),
                  "dstack.temporal.namespace",
                  SharedTemporal.newNamespace(),
                  // on although Temporal is an existing cluster, where it is off by default
                  "dstack.local-fleet",
                  "true",
                  "dstack.local-fleet.mode",
                  mode(),
                  "dstack.local-fleet.check-interval",
                  "200ms",
                  // the tests' shim goes with their server, jobs or not
                  "dstack.local-fleet.on-shutdown",
                  "stop"))
          .applyTo(context);
    }

    /** Waits, a while at most, until the shim recorded in {@code stateDir} has stopped. */
    private static void awaitShimStopped(Path stateDir) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      Path pidFile = stateDir.resolve("shim.pid");
      while (System.nanoTime() < deadline) {
        try {
          if (!Files.exists(pidFile)
              || ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()))
                  .map(p -> !p.isAlive())
                  .orElse(true)) {
            return;
          }
          Thread.sleep(100);
        } catch (IOException | NumberFormatException e) {
          return;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
