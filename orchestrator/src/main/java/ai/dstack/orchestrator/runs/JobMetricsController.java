package ai.dstack.orchestrator.runs;

import ai.dstack.orchestrator.api.WireJson;
import ai.dstack.orchestrator.auth.Caller;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/project/{project}/metrics/job/{run_name}?run_id&replica_num&job_num&limit&after
 * &before}: dstack's only GET, the samples of a job's resource use.
 */
@RestController
class JobMetricsController {
  private final JobMetricsService metrics;

  JobMetricsController(JobMetricsService metrics) {
    this.metrics = metrics;
  }

  @GetMapping("/api/project/{project}/metrics/job/{runName}")
  ResponseEntity<byte[]> job(
      Caller caller,
      @PathVariable String project,
      @PathVariable String runName,
      @RequestParam Map<String, String> query) {
    return WireJson.ok(metrics.jobMetrics(caller, project, runName, query));
  }
}
