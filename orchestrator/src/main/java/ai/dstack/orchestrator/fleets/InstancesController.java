package ai.dstack.orchestrator.fleets;

import ai.dstack.core.api.fleets.GetInstanceHealthChecksRequest;
import ai.dstack.core.api.fleets.GetInstanceRequest;
import ai.dstack.core.api.fleets.ListInstancesRequest;
import ai.dstack.orchestrator.api.WireJson;
import ai.dstack.orchestrator.auth.Caller;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/instances/list} and {@code /api/project/{p}/instances}, as dstack 0.22.5 serves them
 * (it has no per-project list), and {@code /api/backends/list_types}: the backends a project could
 * configure, none yet.
 */
@RestController
class InstancesController {

  private final FleetsService service;

  InstancesController(FleetsService service) {
    this.service = service;
  }

  @PostMapping("/api/instances/list")
  ResponseEntity<byte[]> list(
      Caller caller, @RequestBody(required = false) ListInstancesRequest request) {
    return WireJson.ok(service.listInstances(caller, request));
  }

  @PostMapping("/api/project/{projectName}/instances/get")
  ResponseEntity<byte[]> get(
      Caller caller, @PathVariable String projectName, @RequestBody GetInstanceRequest request) {
    return WireJson.ok(service.getInstance(caller, projectName, request));
  }

  @PostMapping("/api/project/{projectName}/instances/get_instance_health_checks")
  Map<String, Object> healthChecks(
      Caller caller,
      @PathVariable String projectName,
      @RequestBody GetInstanceHealthChecksRequest request) {
    return service.healthChecks(caller, projectName, request);
  }

  // dstack answers it without a token too.
  @PostMapping("/api/backends/list_types")
  List<String> backendTypes() {
    return List.of();
  }
}
