package ai.dstack.orchestrator.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.dstack.core.runs.InstanceOffer;
import ai.dstack.core.runs.InstanceResources;
import ai.dstack.core.runs.JobStatus;
import ai.dstack.core.runs.JobSubmissionRef;
import ai.dstack.core.runs.ProvisioningAttempt;
import ai.dstack.orchestrator.testing.ServerTest;
import ai.dstack.workflows.projections.JobRecord;
import ai.dstack.workflows.projections.Projected;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * What the runs' metrics read and count, on the one schema, run on SQLite and on PostgreSQL: runs
 * by status without the deleted ones, and each provisioning attempt once, however often and late
 * its submission's record is written.
 */
abstract class RunMetricsTest extends ServerTest {

  private static final Instant AT = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  @Autowired RunStore store;
  @Autowired RunProjections projections;
  @Autowired MeterRegistry registry;

  @Test
  void runsAreCountedByStatusWithoutTheDeletedOnes() {
    var project = createdProject();
    var before = store.countByStatus();

    insertRun(project, "running");
    insertRun(project, "running");
    store.markDeleted(List.of(insertRun(project, "pending")));

    var after = store.countByStatus();
    assertEquals(before.getOrDefault("running", 0L) + 2, after.get("running"));
    assertEquals(before.getOrDefault("pending", 0L), after.getOrDefault("pending", 0L));
  }

  @Test
  void eachAttemptIsCountedOnceHoweverOftenItsRecordIsWritten() {
    var backend = unique("backend");
    var runId = insertRun(createdProject(), "submitted");
    var submission = new JobSubmissionRef("p", "r", runId, "r-0-0", 0, 0, 0, UUID.randomUUID());
    var failed = attempt(1, backend, false);
    var started = attempt(2, backend, true);

    var written =
        List.of(
            projections.recordJob(job(submission, 1, List.of(failed))),
            projections.recordJob(job(submission, 1, List.of(failed))),
            projections.recordJob(job(submission, 2, List.of(failed, started))),
            projections.recordJob(job(submission, 1, List.of(failed))),
            projections.recordJob(job(submission, 2, List.of(failed, started))));

    assertEquals(
        List.of(true, false, true, false, false),
        written.stream().map(Projected::applied).toList());
    assertEquals(1.0, attempts(backend, "failure"));
    assertEquals(1.0, attempts(backend, "success"));
  }

  private double attempts(String backend, String outcome) {
    return Optional.ofNullable(
            registry
                .find("dstack.provisioning.attempts")
                .tags("backend", backend, "outcome", outcome)
                .counter())
        .map(Counter::count)
        .orElse(0.0);
  }

  /** A new project of the admin's, as the API created it. */
  private JsonNode createdProject() {
    var created = createProject(ADMIN, unique("metrics"));
    assertEquals(200, created.status(), created.toString());
    return created.json();
  }

  private UUID insertRun(JsonNode project, String status) {
    var id = UUID.randomUUID();
    var name = unique("run");
    store.insert(
        new RunRow(
            id,
            UUID.fromString(project.path("project_id").asText()),
            project.path("project_name").asText(),
            name,
            UUID.fromString(project.path("owner").path("id").asText()),
            project.path("owner").path("username").asText(),
            AT,
            "{}",
            "run/" + name,
            "local",
            0,
            status,
            status,
            null,
            null,
            0,
            AT,
            false),
        List.of(),
        null); // no workflow: as one that started
    return id;
  }

  private static ProvisioningAttempt attempt(int number, String backend, boolean succeeded) {
    var offer =
        new InstanceOffer(
            backend,
            "host",
            new InstanceResources(2, 4096, List.of(), 10240, false),
            "local",
            0.0,
            "idle",
            1,
            1,
            "local",
            null,
            null);
    return new ProvisioningAttempt(number, offer, AT, AT, succeeded, "tried");
  }

  private static JobRecord job(
      JobSubmissionRef submission, long sequence, List<ProvisioningAttempt> attempts) {
    return new JobRecord(
        submission,
        sequence,
        JobStatus.PROVISIONING,
        "provisioning",
        null,
        null,
        null,
        null,
        null,
        attempts,
        null,
        null,
        AT,
        null);
  }
}
