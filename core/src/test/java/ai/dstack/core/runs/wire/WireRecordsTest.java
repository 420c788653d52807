package ai.dstack.core.runs.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.json.Json;
import ai.dstack.core.runs.JobStatus;
import ai.dstack.core.runs.JobTerminationReason;
import ai.dstack.core.runs.RunStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WireRecordsTest {

  @Test
  void writesTimesAsTheRealServerDoes() {
    assertEquals(
        "2026-03-01T10:00:00.123456+00:00",
        Timestamps.format(Instant.parse("2026-03-01T10:00:00.123456789Z")));
    assertEquals(
        "2026-03-01T10:00:00+00:00", Timestamps.format(Instant.parse("2026-03-01T10:00:00Z")));
    assertEquals(Instant.parse("2026-03-01T10:00:00Z"), Timestamps.parse("2026-03-01T10:00:00"));
    assertEquals(
        Instant.parse("2026-03-01T09:00:00Z"), Timestamps.parse("2026-03-01T10:00:00+01:00"));
  }

  @Test
  void writesEveryTimeAsTheFormatterDoes() {
    var random = new java.util.Random(42);
    var times = new java.util.ArrayList<Instant>();
    times.add(Instant.EPOCH);
    times.add(Instant.parse("0001-01-01T00:00:00Z"));
    times.add(Instant.parse("0999-12-31T23:59:59.000001Z"));
    times.add(Instant.parse("9999-12-31T23:59:59.999999999Z"));
    times.add(Instant.parse("1969-12-31T23:59:59.5Z"));
    for (int i = 0; i < 10_000; i++) {
      long seconds = random.nextLong(-62_135_596_800L, 253_402_300_800L);
      times.add(Instant.ofEpochSecond(seconds, random.nextInt(1_000_000_000)));
      times.add(Instant.ofEpochSecond(seconds, random.nextInt(1000) * 1000L));
    }
    for (var time : times) {
      assertEquals(Timestamps.formatted(time), Timestamps.format(time), time.toString());
    }
  }

  @Test
  void refusesWhatTheClientCannotRead() {
    var v7 = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");
    assertThrows(IllegalArgumentException.class, () -> new Run.RunFleet(v7, "f"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new JobSubmission(
                v7,
                0,
                0,
                Instant.EPOCH,
                Instant.EPOCH,
                null,
                null,
                JobStatus.SUBMITTED,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null));
    var offer = Samples.offer();
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new InstanceOfferWithAvailability(
                "local", offer.instance(), "r", 0, null, "idle", null, null, 1, 1));
    assertEquals("remote", BackendTypes.toWire("local"));
    assertEquals("aws", BackendTypes.toWire("AWS"));
    assertEquals("remote", offer.backend());
  }

  @Test
  void derivesStatusMessageCostAndLatestSubmission() throws Exception {
    var spec = Samples.taskSpec("train");
    var jobs =
        JobSpecs.forSubmission(spec, JobSpecs.Settings.of("img"), Map.of()).stream()
            .map(
                s ->
                    new Job(
                        s.withoutSshKey(),
                        List.of(
                            Samples.submission(
                                0,
                                JobStatus.FAILED,
                                JobTerminationReason.CONTAINER_EXITED_WITH_ERROR,
                                2)),
                        null))
            .toList();
    var now = Samples.T0.plusSeconds(7200);
    var run =
        Run.of(
            UUID.randomUUID(),
            "main",
            "admin",
            null,
            Samples.T0,
            now,
            RunStatus.FAILED,
            ai.dstack.core.runs.RunTerminationReason.JOB_FAILED,
            spec,
            jobs,
            null,
            0,
            false,
            now,
            now);
    assertEquals("failed", run.statusMessage());
    assertEquals("exited (2)", run.latestJobSubmission().statusMessage());
    // Two jobs, 30 s each at $1.25 an hour.
    assertEquals(0.0208, run.cost());
    assertEquals(null, run.nextTriggeredAt(), "finished runs have no next trigger");
    assertTrue(run.jobs().stream().allMatch(j -> j.jobSpec().sshKey() == null));

    var json = Json.MAPPER.writeValueAsString(run);
    assertTrue(json.contains("\"submitted_at\":\"2026-03-01T10:00:00.123456+00:00\""), json);
    assertTrue(json.contains("\"status_message\":\"exited (2)\""), json);
    assertTrue(json.contains("\"provisioning_attempts\":[{\"attempt\":1"), json);
    var back = Json.MAPPER.readValue(json, Run.class);
    assertEquals(run.runSpec(), back.runSpec());
    assertEquals(run.jobs().getFirst().jobSpec(), back.jobs().getFirst().jobSpec());
    assertEquals(run.latestJobSubmission(), back.latestJobSubmission());
    assertEquals(run, back);
  }
}
