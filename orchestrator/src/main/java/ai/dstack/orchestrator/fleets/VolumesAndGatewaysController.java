package ai.dstack.orchestrator.fleets;

import ai.dstack.core.api.users.ProjectRole;
import ai.dstack.orchestrator.api.ApiException;
import ai.dstack.orchestrator.auth.Caller;
import ai.dstack.orchestrator.projects.ProjectAccess;
import ai.dstack.orchestrator.projects.ProjectsService;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Volumes and gateways, which need a backend to live in: the server has none yet, so every list is
 * empty, every lookup is dstack's "not found", and creating one says it is not supported; roles as
 * dstack's. Here until those features have packages of their own.
 */
@RestController
class VolumesAndGatewaysController {

  static final String NO_VOLUMES =
      "Volumes are not supported yet by this server: it has no backends to create them in.";

  static final String NO_GATEWAYS =
      "Gateways are not supported yet by this server: it has no backends to run one in.";

  /** {@code volumes/get}, {@code gateways/get}, {@code gateways/set_default}. */
  record NameRequest(@JsonProperty(required = true) String name) {}

  /** {@code volumes/delete}, {@code gateways/delete}. */
  record NamesRequest(@JsonProperty(required = true) List<String> names) {}

  private final ProjectAccess access;
  private final ProjectsService projects;

  VolumesAndGatewaysController(ProjectAccess access, ProjectsService projects) {
    this.access = access;
    this.projects = projects;
  }

  // ---- Volumes. ----

  @PostMapping("/api/project/{projectName}/volumes/list")
  List<Object> listVolumes(Caller caller, @PathVariable String projectName) {
    access.member(caller, projectName);
    return List.of();
  }

  @PostMapping("/api/project/{projectName}/volumes/get")
  Object getVolume(
      Caller caller, @PathVariable String projectName, @RequestBody NameRequest request) {
    access.member(caller, projectName);
    throw ApiException.resourceNotExists("Volume " + request.name() + " not found");
  }

  @PostMapping("/api/project/{projectName}/volumes/create")
  Object createVolume(
      Caller caller,
      @PathVariable String projectName,
      @RequestBody(required = false) Map<String, Object> body) {
    access.member(caller, projectName);
    throw ApiException.badRequest(NO_VOLUMES);
  }

  /** Names of no volume are ignored, as in dstack. */
  @PostMapping("/api/project/{projectName}/volumes/delete")
  Object deleteVolumes(
      Caller caller, @PathVariable String projectName, @RequestBody NamesRequest request) {
    access.member(caller, projectName);
    return null;
  }

  @PostMapping("/api/volumes/list")
  List<Object> listAllVolumes(
      Caller caller, @RequestBody(required = false) Map<String, Object> body) {
    return List.of();
  }

  // ---- Gateways. ----

  @PostMapping("/api/project/{projectName}/gateways/list")
  List<Object> listGateways(
      Caller caller,
      @PathVariable String projectName,
      @RequestBody(required = false) Map<String, Object> body) {
    // dstack lets anyone list a public project's gateways
    projects.get(caller, projectName);
    return List.of();
  }

  @PostMapping("/api/project/{projectName}/gateways/get")
  Object getGateway(
      Caller caller, @PathVariable String projectName, @RequestBody NameRequest request) {
    access.member(caller, projectName);
    throw ApiException.resourceNotExists("Gateway " + request.name() + " not found");
  }

  @PostMapping({
    "/api/project/{projectName}/gateways/get_plan",
    "/api/project/{projectName}/gateways/apply",
    "/api/project/{projectName}/gateways/create"
  })
  Object createGateway(
      Caller caller,
      @PathVariable String projectName,
      @RequestBody(required = false) Map<String, Object> body) {
    access.withRole(caller, projectName, ProjectRole.ADMIN);
    throw ApiException.badRequest(NO_GATEWAYS);
  }

  /** Names of no gateway are ignored, as in dstack. */
  @PostMapping("/api/project/{projectName}/gateways/delete")
  Object deleteGateways(
      Caller caller, @PathVariable String projectName, @RequestBody NamesRequest request) {
    access.withRole(caller, projectName, ProjectRole.ADMIN);
    return null;
  }

  @PostMapping({
    "/api/project/{projectName}/gateways/set_default",
    "/api/project/{projectName}/gateways/set_wildcard_domain"
  })
  Object changeGateway(
      Caller caller, @PathVariable String projectName, @RequestBody NameRequest request) {
    access.withRole(caller, projectName, ProjectRole.ADMIN);
    throw ApiException.resourceNotExists("Gateway " + request.name() + " not found");
  }
}
