package ai.dstack.orchestrator.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.dstack.core.agents.runner.MetricsResponse;
import ai.dstack.core.runs.JobStatus;
import ai.dstack.core.runs.JobSubmissionRef;
import ai.dstack.orchestrator.testing.ServerTest;
import ai.dstack.workflows.projections.JobRecord;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The samples' table on the one schema, run on SQLite and on PostgreSQL: a sample is kept once and
 * read newest first within its bounds; expired samples go as their job's status says.
 */
abstract class JobMetricsPointsTest extends ServerTest {
  @Autowired JobMetricsPoints points;
  @Autowired RunStore store;
  @Autowired RunProjections projections;

  private static MetricsResponse sample(
      Instant at, long cpu, List<MetricsResponse.GpuMetrics> gpus) {
    return new MetricsResponse(JobMetricsPoints.micros(at), cpu, 4096, 2048, gpus);
  }

  private static List<Long> timestamps(List<JobMetricsPoints.Point> read) {
    return read.stream().map(JobMetricsPoints.Point::timestampMicro).toList();
  }

  @Test
  void aSampleIsKeptOnceAndReadNewestFirstWithinItsBounds() {
    var job = UUID.randomUUID();
    var t0 = Instant.parse("2026-03-01T10:00:00.000001Z");
    var gpu = new MetricsResponse.GpuMetrics(1L << 33, 97);
    for (int i = 0; i < 4; i++) {
      points.store(job, sample(t0.plusSeconds(10L * i), i, List.of(gpu)));
    }
    points.store(job, sample(t0, 99, List.of()));
    points.store(UUID.randomUUID(), sample(t0, 0, List.of()));

    var all = points.newestFirst(job, null, null, null);
    var micros = JobMetricsPoints.micros(t0);

    assertEquals(
        List.of(micros + 30_000_000, micros + 20_000_000, micros + 10_000_000, micros),
        timestamps(all));
    assertEquals(0, all.getLast().cpuUsageMicro(), "the first sample stays");
    assertEquals(List.of(1L << 33), all.getFirst().gpusMemoryUsageBytes());
    assertEquals(List.of(97), all.getFirst().gpusUtilPercent());
    assertEquals(
        List.of(micros + 30_000_000, micros + 20_000_000),
        timestamps(points.newestFirst(job, null, null, 2)));
    assertEquals(
        List.of(micros + 20_000_000, micros + 10_000_000),
        timestamps(points.newestFirst(job, t0.plusSeconds(10), t0.plusSeconds(30), null)));
  }

  @Test
  void expiredSamplesGoAsTheirJobsStatusSays() {
    var now = Instant.now();
    var running = submission(JobStatus.RUNNING);
    var finished = submission(JobStatus.DONE);
    for (var job : List.of(running, finished)) {
      points.store(job, sample(now.minus(8, ChronoUnit.DAYS), 1, List.of()));
      points.store(job, sample(now.minus(2, ChronoUnit.HOURS), 2, List.of()));
      points.store(job, sample(now.minusSeconds(10), 3, List.of()));
    }

    points.deleteExpired();

    assertEquals(
        List.of(JobMetricsPoints.micros(now.minusSeconds(10))),
        timestamps(points.newestFirst(running, null, null, null)));
    assertEquals(
        List.of(
            JobMetricsPoints.micros(now.minusSeconds(10)),
            JobMetricsPoints.micros(now.minus(2, ChronoUnit.HOURS))),
        timestamps(points.newestFirst(finished, null, null, null)));
  }

  /** A job submission in {@code status} of a new run, as its workflow projects it: its id. */
  private UUID submission(JobStatus status) {
    var created = createProject(ADMIN, unique("samples"));
    assertEquals(200, created.status(), created.toString());
    JsonNode project = created.json();
    var runId = UUID.randomUUID();
    var name = unique("run");
    var at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    store.insert(
        new RunRow(
            runId,
            UUID.fromString(project.path("project_id").asString()),
            project.path("project_name").asString(),
            name,
            UUID.fromString(project.path("owner").path("id").asString()),
            project.path("owner").path("username").asString(),
            at,
            "{}",
            "run/" + name,
            "local",
            0,
            "running",
            "running",
            null,
            null,
            0,
            at,
            false),
        List.of(),
        null); // no workflow: as one that started
    var id = UUID.randomUUID();
    projections.recordJob(
        new JobRecord(
            new JobSubmissionRef("p", name, runId, name + "-0-0", 0, 0, 0, id),
            1,
            status,
            status.value(),
            null,
            null,
            null,
            null,
            null,
            List.of(),
            null,
            null,
            at,
            null));
    return id;
  }
}
