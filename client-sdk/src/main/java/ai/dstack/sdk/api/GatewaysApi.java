package ai.dstack.sdk.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/project/{p}/gateways}. Gateways run in a backend's cloud; the server has none yet, so
 * they come as dstack's {@code Gateway} JSON rather than a record of core's.
 */
public final class GatewaysApi {
  private final Transport transport;

  GatewaysApi(Transport transport) {
    this.transport = transport;
  }

  /** {@code gateways/list}. */
  public List<JsonNode> list(String project) {
    return transport.post(
        Types.project(project, "/gateways/list"),
        Map.of("include_imported", true),
        Types.listOf(JsonNode.class),
        Transport.Idempotency.IDEMPOTENT);
  }

  /**
   * {@code gateways/get}.
   *
   * @throws DstackException.NotFound when there is no such gateway
   */
  public JsonNode get(String project, String name) {
    return transport.post(
        Types.project(project, "/gateways/get"),
        Map.of("name", name),
        Types.JSON,
        Transport.Idempotency.IDEMPOTENT);
  }

  /**
   * {@code gateways/get_plan}: what applying the gateway spec ({@code {"spec": GatewaySpec}}) would
   * do, as dstack's {@code GatewayPlan} JSON.
   */
  public JsonNode getPlan(String project, Map<String, Object> request) {
    return transport.post(
        Types.project(project, "/gateways/get_plan"),
        request,
        Types.JSON,
        Transport.Idempotency.IDEMPOTENT);
  }

  /**
   * {@code gateways/apply}: creates or updates a gateway from a plan ({@code {"plan": {"spec",
   * "current_resource"}, "force"}}).
   */
  public JsonNode apply(String project, Map<String, Object> request) {
    return transport.post(
        Types.project(project, "/gateways/apply"),
        request,
        Types.JSON,
        Transport.Idempotency.CHANGE);
  }

  /** {@code gateways/delete}; names of no gateway are ignored. */
  public void delete(String project, List<String> names) {
    transport.post(
        Types.project(project, "/gateways/delete"),
        Map.of("names", names),
        null,
        Transport.Idempotency.CHANGE);
  }
}
