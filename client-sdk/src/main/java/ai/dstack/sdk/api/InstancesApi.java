package ai.dstack.sdk.api;

import ai.dstack.core.api.fleets.GetInstanceHealthChecksRequest;
import ai.dstack.core.api.fleets.GetInstanceRequest;
import ai.dstack.core.api.fleets.ListInstancesRequest;
import ai.dstack.core.runs.wire.Instance;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * {@code /api/instances/list} and {@code /api/project/{p}/instances}: the fleets' instances, as
 * dstack serves them (it has no list per project).
 */
public final class InstancesApi {
  private final Transport transport;

  InstancesApi(Transport transport) {
    this.transport = transport;
  }

  /** {@code /api/instances/list}: instances of every project the user is a member of. */
  public List<Instance> list(ListInstancesRequest request) {
    return transport.post(
        "/api/instances/list",
        request,
        Types.listOf(Instance.class),
        Transport.Idempotency.IDEMPOTENT);
  }

  /**
   * {@code instances/get}.
   *
   * @throws DstackException.NotFound when there is no such instance
   */
  public Instance get(String project, GetInstanceRequest request) {
    return transport.post(
        Types.project(project, "/instances/get"),
        request,
        Types.of(Instance.class),
        Transport.Idempotency.IDEMPOTENT);
  }

  /** {@code instances/get_instance_health_checks}: {@code {"health_checks": [...]}}. */
  public JsonNode getHealthChecks(String project, GetInstanceHealthChecksRequest request) {
    return transport.post(
        Types.project(project, "/instances/get_instance_health_checks"),
        request,
        Types.JSON,
        Transport.Idempotency.IDEMPOTENT);
  }
}
