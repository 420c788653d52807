package ai.dstack.sdk.api;

import ai.dstack.core.api.logs.JobSubmissionLogs;
import ai.dstack.core.api.logs.PollLogsRequest;

/** {@code /api/project/{p}/logs}: a job submission's log, a page at a time. */
public final class LogsApi {
  private final Transport transport;

  LogsApi(Transport transport) {
    this.transport = transport;
  }

  /**
   * {@code logs/poll}: one page; pass its {@code next_token} back for the next, until it is null.
   */
  public JobSubmissionLogs poll(String project, PollLogsRequest request) {
    return transport.post(
        Types.project(project, "/logs/poll"),
        request,
        Types.of(JobSubmissionLogs.class),
        Transport.Idempotency.IDEMPOTENT);
  }
}
