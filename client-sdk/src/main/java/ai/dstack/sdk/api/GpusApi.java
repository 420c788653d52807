package ai.dstack.sdk.api;

import ai.dstack.core.api.gpus.ListGpusRequest;
import ai.dstack.core.api.gpus.ListGpusResponse;

/** {@code /api/project/{p}/gpus}: offers grouped by GPU. */
public final class GpusApi {
  private final Transport transport;

  GpusApi(Transport transport) {
    this.transport = transport;
  }

  /**
   * {@code gpus/list}: the offers for the request's run spec grouped by GPU and its {@code
   * group_by} ({@code backend}, {@code region} with {@code backend}, {@code count}); CPU groups in
   * {@link ListGpusResponse#cpus()} instead when the run spec allows no GPU.
   *
   * @throws DstackException.ServerError for {@code region} without {@code backend}, or a run spec
   *     the server refuses
   */
  public ListGpusResponse list(String project, ListGpusRequest request) {
    return transport.post(
        Types.project(project, "/gpus/list"),
        request,
        Types.of(ListGpusResponse.class),
        Transport.Idempotency.IDEMPOTENT);
  }
}
