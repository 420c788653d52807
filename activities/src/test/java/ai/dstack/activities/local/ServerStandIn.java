package ai.dstack.activities.local;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A stand-in for the server's process, for tests that kill it: starts the local shim of the state
 * dir in {@code args[0]} as the server does, prints {@code ready PID PORT ENGINE}, and waits to be
 * killed.
 */
public final class ServerStandIn {
  private ServerStandIn() {}

  public static void main(String[] args) throws Exception {
    var settings =
        LocalShimSettings.of(
                Path.of(args[0]),
                Path.of(System.getProperty("dstack.shim.jar")),
                Path.of(System.getProperty("dstack.runner.jar")))
            .withMode(LocalShim.Mode.PROCESS)
            .withCheckInterval(Duration.ofMillis(200));
    var shim = new LocalShim(settings);
    var running = shim.start();
    System.out.println("ready " + running.pid() + " " + running.port() + " " + running.engine());
    System.out.flush();
    Thread.sleep(Duration.ofMinutes(10));
  }
}
