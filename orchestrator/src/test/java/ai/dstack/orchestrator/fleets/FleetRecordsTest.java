package ai.dstack.orchestrator.fleets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.orchestrator.testing.ServerTest;
import ai.dstack.workflows.projections.FleetRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The fleets' tables on the one schema, run on SQLite and on PostgreSQL: a record applies only when
 * newer, reads back in order, alone or with all the others, and is forgotten; a fleet keeps its ids
 * and instances.
 */
abstract class FleetRecordsTest extends ServerTest {

  @Autowired FleetRecords records;
  @Autowired FleetRepository fleets;

  private static FleetRecord record(String fleet, long sequence, int busy, int queue) {
    return new FleetRecord(
        "proj",
        fleet,
        sequence,
        List.of(
            new FleetRecord.InstanceUsage("i-1", "a-0", busy, 4),
            new FleetRecord.InstanceUsage("i-0", "a-1", 0, 2)),
        queue);
  }

  @Test
  void onlyANewerRecordApplies() {
    String fleet = unique("fleet");

    var first = records.store(record(fleet, 2, 1, 3));
    var older = records.store(record(fleet, 1, 4, 9));
    var same = records.store(record(fleet, 2, 4, 9));
    var newer = records.store(record(fleet, 3, 2, 0));

    assertTrue(first.applied());
    assertFalse(older.applied());
    assertEquals(2, older.sequence());
    assertFalse(same.applied());
    assertTrue(newer.applied());
    assertEquals(Optional.of(record(fleet, 3, 2, 0)), records.find("proj", fleet));
  }

  @Test
  void aForgottenFleetStartsOver() {
    String fleet = unique("fleet");
    records.record(record(fleet, 7, 1, 0));

    records.forget("proj", fleet);

    assertEquals(Optional.empty(), records.find("proj", fleet));
    assertTrue(records.store(record(fleet, 1, 0, 0)).applied());
    assertEquals(1, records.find("proj", fleet).orElseThrow().sequence());
  }

  @Test
  void allReadsEveryFleetWithItsInstancesInOrder() {
    String fleet = unique("fleet");
    String empty = unique("fleet");
    records.store(record(fleet, 4, 3, 2));
    records.store(new FleetRecord("proj", empty, 1, List.of(), 5));

    var all = records.all();

    assertTrue(all.contains(record(fleet, 4, 3, 2)), all.toString());
    assertTrue(all.contains(new FleetRecord("proj", empty, 1, List.of(), 5)), all.toString());
  }

  @Test
  void aFleetKeepsItsIdsAndInstances() {
    String name = unique("fleet");
    Instant at = Instant.parse("2026-01-02T03:04:05.678Z");
    var saved =
        fleets.save(
            new FleetEntity(
                UUID.randomUUID(),
                null,
                null,
                name,
                at,
                false,
                List.of(new FleetInstanceEntity(UUID.randomUUID(), name + "-0", at))));

    var read = fleets.findFirstByProjectIdIsNullAndNameAndDeletedFalse(name).orElseThrow();

    assertEquals(saved.id(), read.id());
    assertEquals(at, read.createdAt());
    assertEquals(saved.instances(), read.instances());
  }
}
