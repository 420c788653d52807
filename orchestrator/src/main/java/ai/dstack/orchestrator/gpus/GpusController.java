package ai.dstack.orchestrator.gpus;

import ai.dstack.orchestrator.api.WireJson;
import ai.dstack.orchestrator.auth.Caller;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/project/{project}/gpus/list}: dstack's {@code ListGpusRequest} in and out. */
@RestController
class GpusController {
  private final GpusService gpus;

  GpusController(GpusService gpus) {
    this.gpus = gpus;
  }

  @PostMapping("/api/project/{project}/gpus/list")
  ResponseEntity<byte[]> list(
      Caller caller, @PathVariable String project, @RequestBody(required = false) String body) {
    return WireJson.ok(gpus.list(caller, project, WireJson.readBody(body)));
  }
}
