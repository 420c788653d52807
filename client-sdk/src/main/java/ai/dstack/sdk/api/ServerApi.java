package ai.dstack.sdk.api;

import ai.dstack.core.api.server.ServerInfo;

/** {@code /api/server}: what the server says about itself; needs no valid token. */
public final class ServerApi {
  private final Transport transport;

  ServerApi(Transport transport) {
    this.transport = transport;
  }

  /** {@code server/get_info}: the dstack version whose API the server speaks. */
  public ServerInfo getInfo() {
    return transport.post(
        "/api/server/get_info", null, Types.of(ServerInfo.class), Transport.Idempotency.IDEMPOTENT);
  }
}
