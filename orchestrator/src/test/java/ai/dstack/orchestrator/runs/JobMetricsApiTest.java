package ai.dstack.orchestrator.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.orchestrator.testing.DstackClient;
import ai.dstack.orchestrator.testing.OnLocalFleet;
import ai.dstack.orchestrator.testing.RunRequests;
import ai.dstack.orchestrator.testing.ServerTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET metrics/job/{run_name}} over a real task on the local fleet: the samples the follow
 * takes of it while it runs, with dstack's series; dstack's not-found error for what is not there.
 */
@OnLocalFleet
class JobMetricsApiTest extends ServerTest {
  @TempDir Path home;

  private String metricsPath(String project, String run, String query) {
    return "/api/project/" + project + "/metrics/job/" + run + query;
  }

  private static List<String> names(JsonNode metrics) {
    var names = new ArrayList<String>();
    metrics.path("metrics").forEach(m -> names.add(m.path("name").asString()));
    return names;
  }

  private static JsonNode series(JsonNode metrics, String name) {
    for (var metric : metrics.path("metrics")) {
      if (metric.path("name").asString().equals(name)) {
        return metric;
      }
    }
    throw new AssertionError(name + " not in " + metrics);
  }

  @Test
  void aRunningTasksSamplesShowItsCpuAndMemory() throws InterruptedException {
    var project = unique("metrics");
    assertEquals(200, createProject(ADMIN, project).status());
    var runs = new RunRequests(api(), ADMIN);
    runs.apply(project, "sleeper", List.of("echo started", "sleep 600"));
    runs.await(
        project,
        "sleeper",
        r -> r.path("status").asString().equals("running"),
        Duration.ofMinutes(2));

    JsonNode metrics = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
    while (System.nanoTime() < deadline) {
      var answer = api().get(metricsPath(project, "sleeper", "?limit=100"), ADMIN);
      assertEquals(200, answer.status(), answer.toString());
      metrics = answer.json();
      if (!metrics.path("metrics").isEmpty()) {
        break;
      }
      Thread.sleep(500);
    }
    var latestOnly = api().get(metricsPath(project, "sleeper", ""), ADMIN).json();
    var added =
        DstackClient.cli(
            home,
            "project",
            "add",
            "--name",
            project,
            "--url",
            "http://127.0.0.1:" + port,
            "--token",
            ADMIN,
            "-y");
    var shown = DstackClient.cli(home, "metrics", "sleeper", "--project", project);
    api()
        .post(
            "/api/project/" + project + "/runs/stop",
            ADMIN,
            Map.of("runs_names", List.of("sleeper"), "abort", true));
    runs.awaitFinished(project, "sleeper", Duration.ofMinutes(2));

    // dstack 0.22.5's own CLI reads the answer and draws its table.
    assertEquals(0, added.exitCode(), added.output());
    assertEquals(0, shown.exitCode(), shown.output());
    assertTrue(shown.output().contains("UTILIZATION"), shown.output());
    assertTrue(shown.output().matches("(?s).*job=0 +cpu .*%.*"), shown.output());
    assertTrue(
        names(metrics)
            .containsAll(
                List.of(
                    "cpu_usage_percent",
                    "memory_usage_bytes",
                    "memory_working_set_bytes",
                    "cpus_detected_num",
                    "memory_total_bytes",
                    "gpus_detected_num")),
        metrics.toString());
    var memory = series(metrics, "memory_usage_bytes");
    assertTrue(memory.path("values").path(0).asLong() > 0, memory.toString());
    assertEquals(memory.path("values").size(), memory.path("timestamps").size());
    var cpu = series(metrics, "cpu_usage_percent");
    assertTrue(cpu.path("values").path(0).asLong() >= 0, cpu.toString());
    assertTrue(cpu.path("timestamps").path(0).asString().endsWith("+00:00"), cpu.toString());
    assertEquals(1, series(metrics, "cpus_detected_num").path("values").path(0).asInt());
    // dstack's default is the one latest point.
    assertEquals(
        1, series(latestOnly, "cpu_usage_percent").path("values").size(), latestOnly.toString());
  }

  @Test
  void whatIsNotThereIsDstacksNotFound() {
    var project = unique("nometrics");
    assertEquals(200, createProject(ADMIN, project).status());

    var noRun = api().get(metricsPath(project, "no-such-run", ""), ADMIN);
    var noProject = api().get(metricsPath(unique("nope"), "no-such-run", ""), ADMIN);
    var badNumber = api().get(metricsPath(project, "no-such-run", "?replica_num=x"), ADMIN);

    assertEquals(400, noRun.status(), noRun.toString());
    assertEquals("resource_not_exists", noRun.errorCode());
    assertEquals("Found no job with given parameters", noRun.errorMessage());
    assertEquals(404, noProject.status(), noProject.toString());
    assertEquals(400, badNumber.status(), badNumber.toString());
    assertEquals("replica_num must be a whole number, got x", badNumber.errorMessage());
  }

  @Test
  void aJobTheRunDoesNotHaveIsNotFoundAndOutsidersAreRefused() {
    var project = unique("otherjob");
    assertEquals(200, createProject(ADMIN, project).status());
    var runs = new RunRequests(api(), ADMIN);
    runs.apply(project, "quick", List.of("echo quick"));
    runs.awaitFinished(project, "quick", Duration.ofMinutes(2));
    var outsider = createUser(unique("outsider"), "user");

    var otherReplica = api().get(metricsPath(project, "quick", "?replica_num=3"), ADMIN);
    var refused = api().get(metricsPath(project, "quick", ""), outsider);
    var finished = api().get(metricsPath(project, "quick", "?job_num=0&limit=10"), ADMIN);

    assertEquals(400, otherReplica.status(), otherReplica.toString());
    assertEquals("resource_not_exists", otherReplica.errorCode());
    assertEquals(403, refused.status(), refused.toString());
    assertEquals(200, finished.status(), finished.toString());
    assertTrue(finished.json().path("metrics").isArray(), finished.toString());
  }
}
