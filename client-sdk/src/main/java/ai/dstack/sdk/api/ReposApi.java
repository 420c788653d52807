package ai.dstack.sdk.api;

import ai.dstack.core.api.repos.SaveRepoCredsRequest;

/** {@code /api/project/{p}/repos}: the repos runs take their code from. */
public final class ReposApi {
  private final Transport transport;

  ReposApi(Transport transport) {
    this.transport = transport;
  }

  /**
   * {@code repos/init}: registers the repo a run will use; {@code dstack apply} sends it before
   * planning, with {@link SaveRepoCredsRequest#virtual()} for runs without code.
   */
  public void init(String project, SaveRepoCredsRequest request) {
    transport.post(
        Types.project(project, "/repos/init"), request, null, Transport.Idempotency.IDEMPOTENT);
  }
}
