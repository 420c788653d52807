package ai.dstack.sdk.api;

import ai.dstack.core.api.secrets.CreateOrUpdateSecretRequest;
import ai.dstack.core.api.secrets.DeleteSecretsRequest;
import ai.dstack.core.api.secrets.GetSecretRequest;
import ai.dstack.core.api.secrets.Secret;
import java.util.List;

/** {@code /api/project/{p}/secrets}: a project's named secrets. */
public final class SecretsApi {
  private final Transport transport;

  SecretsApi(Transport transport) {
    this.transport = transport;
  }

  /** {@code secrets/list}: every secret, without values. */
  public List<Secret> list(String project) {
    return transport.post(
        Types.project(project, "/secrets/list"),
        null,
        Types.listOf(Secret.class),
        Transport.Idempotency.IDEMPOTENT);
  }

  /** {@code secrets/get}: the secret with its value. */
  public Secret get(String project, String name) {
    return transport.post(
        Types.project(project, "/secrets/get"),
        new GetSecretRequest(name),
        Types.of(Secret.class),
        Transport.Idempotency.IDEMPOTENT);
  }

  /** {@code secrets/create_or_update}. */
  public Secret createOrUpdate(String project, String name, String value) {
    return transport.post(
        Types.project(project, "/secrets/create_or_update"),
        new CreateOrUpdateSecretRequest(name, value),
        Types.of(Secret.class),
        Transport.Idempotency.IDEMPOTENT);
  }

  /** {@code secrets/delete}: all of them, or none when one does not exist. */
  public void delete(String project, List<String> names) {
    transport.post(
        Types.project(project, "/secrets/delete"),
        new DeleteSecretsRequest(names),
        null,
        Transport.Idempotency.CHANGE);
  }
}
