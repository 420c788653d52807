package ai.dstack.sdk.api;

import ai.dstack.core.api.metrics.GetJobMetricsRequest;
import ai.dstack.core.api.metrics.JobMetrics;
import ai.dstack.core.runs.wire.Timestamps;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

/** {@code /api/project/{p}/metrics}: a job's resource use over time. */
public final class MetricsApi {
  private final Transport transport;

  MetricsApi(Transport transport) {
    this.transport = transport;
  }

  /**
   * {@code GET metrics/job/{run_name}}: the job's samples, newest first; no metrics until the
   * server holds two samples of it.
   *
   * @throws DstackException.NotFound when the run has no such job (or there is no such run)
   */
  public JobMetrics job(String project, GetJobMetricsRequest request) {
    if (request.runName() == null || request.runName().isBlank()) {
      throw new IllegalArgumentException("a run name is required");
    }
    var query = new ArrayList<String>();
    if (request.runId() != null) {
      query.add(param("run_id", request.runId().toString()));
    }
    query.add(param("replica_num", Integer.toString(request.replicaNum())));
    query.add(param("job_num", Integer.toString(request.jobNum())));
    if (request.limit() != null) {
      query.add(param("limit", request.limit().toString()));
    }
    if (request.after() != null) {
      query.add(param("after", Timestamps.format(request.after())));
    }
    if (request.before() != null) {
      query.add(param("before", Timestamps.format(request.before())));
    }
    return transport.get(
        Types.project(project, "/metrics/job/")
            + encode(request.runName()).replace("+", "%20")
            + "?"
            + String.join("&", query),
        Types.of(JobMetrics.class));
  }

  private static String param(String name, String value) {
    return name + "=" + encode(value);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
