package ai.dstack.orchestrator.runs;

import ai.dstack.core.json.Json;
import ai.dstack.orchestrator.api.ApiException;
import ai.dstack.orchestrator.api.WireJson;
import ai.dstack.orchestrator.auth.Caller;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * dstack's runs, logs and repos endpoints. Bodies are read and written with dstack's wire mapping
 * (core's), so a run spec is stored and echoed back exactly as the client sent it.
 */
@RestController
class RunsController {
  private final RunsService runs;
  private final RunLogs logs;

  RunsController(RunsService runs, RunLogs logs) {
    this.runs = runs;
    this.logs = logs;
  }

  @PostMapping("/api/project/{project}/runs/get_plan")
  ResponseEntity<byte[]> plan(
      Caller caller, @PathVariable String project, @RequestBody(required = false) String body) {
    return WireJson.ok(runs.plan(caller, project, WireJson.readBody(body)));
  }

  @PostMapping("/api/project/{project}/runs/apply")
  ResponseEntity<byte[]> apply(
      Caller caller, @PathVariable String project, @RequestBody(required = false) String body) {
    return WireJson.ok(runs.apply(caller, project, WireJson.readBody(body)));
  }

  @PostMapping("/api/project/{project}/runs/submit")
  ResponseEntity<byte[]> submit(
      Caller caller, @PathVariable String project, @RequestBody(required = false) String body) {
    // dstack's older submit: {"run_spec": ...}, the same as applying a plan without a current run.
    var request = Json.MAPPER.createObjectNode();
    request.putObject("plan").set("run_spec", WireJson.readBody(body).path("run_spec"));
    return WireJson.ok(runs.apply(caller, project, request));
  }

  @PostMapping("/api/project/{project}/runs/get")
  ResponseEntity<byte[]> get(
      Caller caller, @PathVariable String project, @RequestBody(required = false) String body) {
    return WireJson.ok(runs.get(caller, project, WireJson.readBody(body)));
  }

  @PostMapping("/api/project/{project}/runs/list")
  ResponseEntity<byte[]> listInProject(
      Caller caller, @PathVariable String project, @RequestBody(required = false) String body) {
    return WireJson.ok(runs.list(caller, project, WireJson.readBody(body)));
  }

  @PostMapping("/api/runs/list")
  ResponseEntity<byte[]> list(Caller caller, @RequestBody(required = false) String body) {
    return WireJson.ok(runs.list(caller, null, WireJson.readBody(body)));
  }

  @PostMapping("/api/project/{project}/runs/stop")
  ResponseEntity<byte[]> stop(
      Caller caller, @PathVariable String project, @RequestBody(required = false) String body) {
    runs.stop(caller, project, WireJson.readBody(body));
    return WireJson.ok(null);
  }

  @PostMapping("/api/project/{project}/runs/delete")
  ResponseEntity<byte[]> delete(
      Caller caller, @PathVariable String project, @RequestBody(required = false) String body) {
    runs.delete(caller, project, WireJson.readBody(body));
    return WireJson.ok(null);
  }

  @PostMapping("/api/project/{project}/logs/poll")
  ResponseEntity<byte[]> poll(
      Caller caller, @PathVariable String project, @RequestBody(required = false) String body) {
    return WireJson.ok(logs.poll(caller, project, WireJson.readBody(body)));
  }

  @PostMapping("/api/project/{project}/repos/init")
  ResponseEntity<byte[]> initRepo(
      Caller caller, @PathVariable String project, @RequestBody(required = false) String body) {
    runs.checkMember(caller, project);
    var repoType = WireJson.readBody(body).path("repo_info").path("repo_type").asText("virtual");
    if (!repoType.equals("virtual")) {
      throw ApiException.badRequest(
          "Repos of type "
              + repoType
              + " are not supported yet: run without `repos:` (or with --no-repo)");
    }
    return WireJson.ok(null);
  }
}
