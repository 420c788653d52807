package ai.dstack.sdk.api;

import java.util.List;

/** {@code /api/backends}. */
public final class BackendsApi {
  private final Transport transport;

  BackendsApi(Transport transport) {
    this.transport = transport;
  }

  /** {@code backends/list_types}: the backend types a project could configure. */
  public List<String> listTypes() {
    return transport.post(
        "/api/backends/list_types",
        null,
        Types.listOf(String.class),
        Transport.Idempotency.IDEMPOTENT);
  }
}
