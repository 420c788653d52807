package ai.dstack.orchestrator.temporal;

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
 */
@ConfigurationProperties("dstack.temporal")
public record TemporalSettings(
    String address, String namespace, String cli, int port, Ui ui, Duration startTimeout) {

  /**
   * The dev server's Web UI.
   *
   * @param port {@code DSTACK_TEMPORAL_UI_PORT}: 8233 by default; when busy, or 0, any free port
   */
  public record Ui(int port) {}

  /** Whether the server connects to an existing cluster instead of running a dev server. */
  public boolean external() {
    return address != null && !address.isBlank();
  }
}
