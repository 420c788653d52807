package ai.dstack.orchestrator.secrets;

import ai.dstack.core.api.secrets.CreateOrUpdateSecretRequest;
import ai.dstack.core.api.secrets.DeleteSecretsRequest;
import ai.dstack.core.api.secrets.GetSecretRequest;
import ai.dstack.core.api.secrets.Secret;
import ai.dstack.orchestrator.auth.Caller;
import java.util.List;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/project/{project}/secrets}: every call a POST; {@code list} with an empty body. */
@RestController
@RequestMapping("/api/project/{projectName}/secrets")
class SecretsController {

  private final SecretsService service;

  SecretsController(SecretsService service) {
    this.service = service;
  }

  @PostMapping("/list")
  List<Secret> list(Caller caller, @PathVariable String projectName) {
    return service.list(caller, projectName);
  }

  @PostMapping("/get")
  Secret get(
      Caller caller, @PathVariable String projectName, @RequestBody GetSecretRequest request) {
    return service.get(caller, projectName, request.name());
  }

  @PostMapping("/create_or_update")
  Secret createOrUpdate(
      Caller caller,
      @PathVariable String projectName,
      @RequestBody CreateOrUpdateSecretRequest request) {
    return service.createOrUpdate(caller, projectName, request.name(), request.value());
  }

  @PostMapping("/delete")
  Object delete(
      Caller caller, @PathVariable String projectName, @RequestBody DeleteSecretsRequest request) {
    service.delete(caller, projectName, request.secretsNames());
    return null;
  }
}
