package ai.dstack.orchestrator.fleets;

import ai.dstack.core.api.fleets.DeleteFleetInstancesRequest;
import ai.dstack.core.api.fleets.DeleteFleetsRequest;
import ai.dstack.core.api.fleets.GetFleetRequest;
import ai.dstack.core.api.fleets.ListFleetsRequest;
import ai.dstack.core.api.fleets.ListProjectFleetsRequest;
import ai.dstack.orchestrator.api.WireJson;
import ai.dstack.orchestrator.auth.Caller;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/project/{p}/fleets} and {@code /api/fleets/list}, as dstack 0.22.5 serves them. */
@RestController
class FleetsController {

  private final FleetsService service;

  FleetsController(FleetsService service) {
    this.service = service;
  }

  @PostMapping("/api/project/{projectName}/fleets/list")
  ResponseEntity<byte[]> list(
      Caller caller,
      @PathVariable String projectName,
      @RequestBody(required = false) ListProjectFleetsRequest request) {
    return WireJson.ok(service.list(caller, projectName));
  }

  @PostMapping("/api/project/{projectName}/fleets/get")
  ResponseEntity<byte[]> get(
      Caller caller, @PathVariable String projectName, @RequestBody GetFleetRequest request) {
    return WireJson.ok(service.get(caller, projectName, request));
  }

  @PostMapping("/api/project/{projectName}/fleets/get_plan")
  Object getPlan(
      Caller caller,
      @PathVariable String projectName,
      @RequestBody(required = false) Map<String, Object> body) {
    return service.getPlan(caller, projectName, body);
  }

  @PostMapping("/api/project/{projectName}/fleets/apply")
  Object apply(
      Caller caller,
      @PathVariable String projectName,
      @RequestBody(required = false) Map<String, Object> body) {
    return service.apply(caller, projectName, body);
  }

  @PostMapping("/api/project/{projectName}/fleets/delete")
  Object delete(
      Caller caller, @PathVariable String projectName, @RequestBody DeleteFleetsRequest request) {
    service.delete(caller, projectName, request);
    return null;
  }

  @PostMapping("/api/project/{projectName}/fleets/delete_instances")
  Object deleteInstances(
      Caller caller,
      @PathVariable String projectName,
      @RequestBody DeleteFleetInstancesRequest request) {
    service.deleteInstances(caller, projectName, request);
    return null;
  }

  @PostMapping("/api/fleets/list")
  ResponseEntity<byte[]> listAll(
      Caller caller, @RequestBody(required = false) ListFleetsRequest request) {
    return WireJson.ok(service.listAll(caller, request));
  }
}
