package ai.dstack.orchestrator.temporal;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where Temporal runs; defaults live in {@code application.yml}.
 *
 * @param address {@code DSTACK_TEMPORAL_ADDRESS}: {@code host:port} of an existing Temporal
 *     cluster; empty (the default) starts and supervises a dev server with its state in the server
 *     dir
 * @param namespace {@code DSTACK_TEMPORAL_NAMESPACE}: the namespace (default {@code default})
 * @param cli {@code DSTACK_TEMPORAL_CLI}: the {@code temporal} binary that runs the dev server
 *     ({@code ./dstack server} installs one with {@code scripts/ensure-temporal.sh})
 * @param port {@code DSTACK_TEMPORAL_PORT}: the dev server's gRPC port, 7233 by default; when it is
 *     busy, or 0, any free port
 * @param ui the dev server's Web UI
 * @param startTimeout how long to wait for the dev server to answer
 * @param tls how to reach an existing cluster over TLS
 * @param apiKey {@code DSTACK_TEMPORAL_API_KEY}: an API key for the cluster (Temporal Cloud's),
 *     sent with every call; it implies TLS
 */
@ConfigurationProperties("dstack.temporal")
public record TemporalSettings(
    String address,
    String namespace,
    String cli,
    int port,
    Ui ui,
    Duration startTimeout,
    Tls tls,
    String apiKey) {

  public TemporalSettings {
    tls = tls == null ? new Tls(false, null, null, null, null) : tls;
    apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
  }

  /**
   * The dev server's Web UI.
   *
   * @param port {@code DSTACK_TEMPORAL_UI_PORT}: 8233 by default; when busy, or 0, any free port
   */
  public record Ui(int port) {}

  /**
   * TLS to an existing cluster ({@code DSTACK_TEMPORAL_ADDRESS}); the dev server speaks plain gRPC
   * on the loopback.
   *
   * @param enabled {@code DSTACK_TEMPORAL_TLS}: {@code true} for TLS trusting the system's CAs;
   *     implied by any of the files below and by an API key
   * @param caCert {@code DSTACK_TEMPORAL_TLS_CA_CERT}: a PEM file of the CA certificates to trust
   *     instead of the system's
   * @param clientCert {@code DSTACK_TEMPORAL_TLS_CLIENT_CERT}: a PEM certificate (chain) for mutual
   *     TLS, with {@code clientKey}
   * @param clientKey {@code DSTACK_TEMPORAL_TLS_CLIENT_KEY}: its PKCS#8 PEM private key
   * @param serverName {@code DSTACK_TEMPORAL_TLS_SERVER_NAME}: the name the server's certificate is
   *     checked against, when it is not the address's host
   */
  public record Tls(
      boolean enabled, Path caCert, Path clientCert, Path clientKey, String serverName) {

    /** Whether the connection uses TLS at all. */
    public boolean used() {
      return enabled || caCert != null || clientCert != null || clientKey != null;
    }
  }

  /** Whether the server connects to an existing cluster instead of running a dev server. */
  public boolean external() {
    return address != null && !address.isBlank();
  }
}
