package ai.dstack.sdk.api;

import ai.dstack.core.api.fleets.DeleteFleetInstancesRequest;
import ai.dstack.core.api.fleets.DeleteFleetsRequest;
import ai.dstack.core.api.fleets.GetFleetRequest;
import ai.dstack.core.api.fleets.ListFleetsRequest;
import ai.dstack.core.api.fleets.ListProjectFleetsRequest;
import ai.dstack.core.runs.wire.Fleet;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** {@code /api/project/{p}/fleets} and {@code /api/fleets/list}. */
public final class FleetsApi {
  private final Transport transport;

  FleetsApi(Transport transport) {
    this.transport = transport;
  }

  /** {@code fleets/list} of one project. */
  public List<Fleet> list(String project, ListProjectFleetsRequest request) {
    return transport.post(
        Types.project(project, "/fleets/list"),
        request,
        Types.listOf(Fleet.class),
        Transport.Idempotency.IDEMPOTENT);
  }

  /**
   * {@code /api/fleets/list}: fleets of every project the user is a member of, a page at a time.
   */
  public List<Fleet> listAll(ListFleetsRequest request) {
    return transport.post(
        "/api/fleets/list", request, Types.listOf(Fleet.class), Transport.Idempotency.IDEMPOTENT);
  }

  /**
   * {@code fleets/get}, by name or id.
   *
   * @throws DstackException.NotFound when there is no such fleet
   */
  public Fleet get(String project, GetFleetRequest request) {
    return transport.post(
        Types.project(project, "/fleets/get"),
        request,
        Types.of(Fleet.class),
        Transport.Idempotency.IDEMPOTENT);
  }

  /**
   * {@code fleets/get_plan}: what applying the fleet spec ({@code {"spec": FleetSpec}}) would do,
   * as dstack's {@code FleetPlan} JSON.
   */
  public JsonNode getPlan(String project, Map<String, Object> request) {
    return transport.post(
        Types.project(project, "/fleets/get_plan"),
        request,
        Types.JSON,
        Transport.Idempotency.IDEMPOTENT);
  }

  /**
   * {@code fleets/apply}: creates or updates a fleet from a plan ({@code {"plan": {"spec",
   * "current_resource"}, "force"}}).
   */
  public Fleet apply(String project, Map<String, Object> request) {
    return transport.post(
        Types.project(project, "/fleets/apply"),
        request,
        Types.of(Fleet.class),
        Transport.Idempotency.CHANGE);
  }

  /** {@code fleets/delete}: terminates the fleets' instances, then the fleets; does not wait. */
  public void delete(String project, DeleteFleetsRequest request) {
    transport.post(
        Types.project(project, "/fleets/delete"), request, null, Transport.Idempotency.CHANGE);
  }

  /** {@code fleets/delete_instances}: terminates some instances of a fleet. */
  public void deleteInstances(String project, DeleteFleetInstancesRequest request) {
    transport.post(
        Types.project(project, "/fleets/delete_instances"),
        request,
        null,
        Transport.Idempotency.CHANGE);
  }
}
