package ai.dstack.orchestrator.temporal;

import java.util.Optional;

/**
 * The Temporal the server talks to: the dev server it supervises, or an existing cluster. Closing
 * it stops a dev server it started or adopted.
 */
public final class TemporalEndpoint implements AutoCloseable {

  private final String target;
  private final String namespace;
  private final TemporalDevServer devServer;

  private TemporalEndpoint(String target, String namespace, TemporalDevServer devServer) {
    this.target = target;
    this.namespace = namespace;
    this.devServer = devServer;
  }

  /** An existing cluster at {@code address}. */
  public static TemporalEndpoint external(String address, String namespace) {
    return new TemporalEndpoint(address.strip(), namespace, null);
  }

  /** A dev server this server supervises. */
  public static TemporalEndpoint devServer(TemporalDevServer devServer, String namespace) {
    return new TemporalEndpoint(devServer.target(), namespace, devServer);
  }

  /** {@code host:port} of the frontend. */
  public String target() {
    return target;
  }

  /** The namespace workflows run in. */
  public String namespace() {
    return namespace;
  }

  /** The supervised dev server, if this is one. */
  public Optional<TemporalDevServer> supervised() {
    return Optional.ofNullable(devServer);
  }

  /**
   * Waits until a supervised dev server answers, and from then on starts it again whenever it dies;
   * an external cluster is not waited for.
   */
  public void awaitReady() {
    if (devServer != null) {
      devServer.awaitReady().supervise();
    }
  }

  /** One line for start-up: what runs where. */
  public String describe() {
    if (devServer == null) {
      return "cluster " + target + ", namespace " + namespace;
    }
    return "dev server "
        + target
        + " ("
        + (devServer.adopted() ? "adopted" : "started")
        + ", pid "
        + devServer.pid()
        + ", state in "
        + devServer.stateDir()
        + "), namespace "
        + namespace;
  }

  @Override
  public void close() {
    if (devServer != null) {
      devServer.stop();
    }
  }
}
