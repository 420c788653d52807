package ai.dstack.sdk.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/project/{p}/volumes} and {@code /api/volumes/list}. Volumes live in a backend's
 * cloud; the server has none yet, so they come as dstack's {@code Volume} JSON rather than a record
 * of core's.
 */
public final class VolumesApi {
  private final Transport transport;

  VolumesApi(Transport transport) {
    this.transport = transport;
  }

  /** {@code volumes/list} of one project. */
  public List<JsonNode> list(String project) {
    return transport.post(
        Types.project(project, "/volumes/list"),
        null,
        Types.listOf(JsonNode.class),
        Transport.Idempotency.IDEMPOTENT);
  }

  /** {@code /api/volumes/list}: volumes of every project the user is a member of. */
  public List<JsonNode> listAll() {
    return transport.post(
        "/api/volumes/list",
        Map.of(),
        Types.listOf(JsonNode.class),
        Transport.Idempotency.IDEMPOTENT);
  }

  /**
   * {@code volumes/get}.
   *
   * @throws DstackException.NotFound when there is no such volume
   */
  public JsonNode get(String project, String name) {
    return transport.post(
        Types.project(project, "/volumes/get"),
        Map.of("name", name),
        Types.JSON,
        Transport.Idempotency.IDEMPOTENT);
  }

  /**
   * {@code volumes/create}: creates a volume from its configuration ({@code {"configuration":
   * VolumeConfiguration}}), as {@code dstack apply} does for {@code type: volume}.
   */
  public JsonNode create(String project, Map<String, Object> request) {
    return transport.post(
        Types.project(project, "/volumes/create"),
        request,
        Types.JSON,
        Transport.Idempotency.CHANGE);
  }

  /** {@code volumes/delete}; names of no volume are ignored. */
  public void delete(String project, List<String> names) {
    transport.post(
        Types.project(project, "/volumes/delete"),
        Map.of("names", names),
        null,
        Transport.Idempotency.CHANGE);
  }
}
