package ai.dstack.orchestrator.fleets;

import ai.dstack.orchestrator.persistence.SqlValues;
import ai.dstack.orchestrator.runs.FleetUsageRecorder;
import ai.dstack.workflows.projections.FleetRecord;
import ai.dstack.workflows.projections.Projected;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * What fleet workflows last recorded (their projection, read by {@code fleets/list}): per instance
 * the blocks granted to jobs, and the queue's length. The projection activities call {@link
 * #record}; a record whose sequence is not newer than the stored one is ignored, so a late retry
 * never overwrites a newer state.
 */
@Service
public class FleetRecords implements FleetUsageRecorder {

  private final NamedParameterJdbcOperations jdbc;
  private final TransactionOperations transactions;
  private final SqlValues values;
  private final Clock clock;

  FleetRecords(
      NamedParameterJdbcOperations jdbc,
      TransactionOperations transactions,
      SqlValues values,
      Clock clock) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.values = values;
    this.clock = clock;
  }

  /** Stores the fleet's record unless the stored one is as new. */
  @Override
  public void record(FleetRecord record) {
    store(record);
  }

  /**
   * Stores the fleet's record unless the stored one is as new.
   *
   * @return the sequence now stored, and whether this record was written
   */
  public Projected store(FleetRecord record) {
    return transactions.execute(
        tx -> {
          var key = key(record.project(), record.fleetName());
          key.addValue("sequence", record.sequence())
              .addValue("queueLength", record.queueLength())
              .addValue("now", values.of(clock.instant()));
          // The row lock this takes orders concurrent writes; the condition keeps the newest.
          int updated =
              jdbc.update(
                  "UPDATE fleet_records SET sequence = :sequence, queue_length = :queueLength,"
                      + " updated_at = :now WHERE project = :project AND fleet_name = :fleetName"
                      + " AND sequence < :sequence",
                  key);
          if (updated == 0) {
            Optional<Long> stored = storedSequence(key);
            if (stored.isPresent()) {
              return new Projected(stored.get(), false);
            }
            jdbc.update(
                "INSERT INTO fleet_records (project, fleet_name, sequence, queue_length, updated_at)"
                    + " VALUES (:project, :fleetName, :sequence, :queueLength, :now)",
                key);
          }
          jdbc.update(
              "DELETE FROM fleet_record_instances WHERE project = :project"
                  + " AND fleet_name = :fleetName",
              key);
          for (int i = 0; i < record.instances().size(); i++) {
            var usage = record.instances().get(i);
            jdbc.update(
                "INSERT INTO fleet_record_instances (project, fleet_name, instance_pos,"
                    + " instance_id, instance_name, busy_blocks, total_blocks) VALUES (:project,"
                    + " :fleetName, :pos, :instanceId, :instanceName, :busy, :total)",
                key(record.project(), record.fleetName())
                    .addValue("pos", i)
                    .addValue("instanceId", usage.instanceId())
                    .addValue("instanceName", usage.instanceName())
                    .addValue("busy", usage.busyBlocks())
                    .addValue("total", usage.totalBlocks()));
          }
          return new Projected(record.sequence(), true);
        });
  }

  /** The fleet's last record, if its workflow wrote one. */
  public Optional<FleetRecord> find(String project, String fleetName) {
    var key = key(project, fleetName);
    List<Map<String, Object>> rows =
        jdbc.queryForList(
            "SELECT sequence, queue_length FROM fleet_records WHERE project = :project"
                + " AND fleet_name = :fleetName",
            key);
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    var instances =
        jdbc.query(
            "SELECT instance_id, instance_name, busy_blocks, total_blocks"
                + " FROM fleet_record_instances WHERE project = :project"
                + " AND fleet_name = :fleetName ORDER BY instance_pos",
            key,
            (rs, n) ->
                new FleetRecord.InstanceUsage(
                    rs.getString("instance_id"),
                    rs.getString("instance_name"),
                    rs.getInt("busy_blocks"),
                    rs.getInt("total_blocks")));
    var row = rows.getFirst();
    return Optional.of(
        new FleetRecord(
            project,
            fleetName,
            ((Number) row.get("sequence")).longValue(),
            instances,
            ((Number) row.get("queue_length")).intValue()));
  }

  /** Every fleet's last record, by project then fleet name, read in one statement. */
  public List<FleetRecord> all() {
    List<JoinedRow> rows =
        jdbc.query(
            "SELECT r.project, r.fleet_name, r.sequence, r.queue_length, i.instance_id,"
                + " i.instance_name, i.busy_blocks, i.total_blocks FROM fleet_records r"
                + " LEFT JOIN fleet_record_instances i ON i.project = r.project"
                + " AND i.fleet_name = r.fleet_name"
                + " ORDER BY r.project, r.fleet_name, i.instance_pos",
            (rs, n) ->
                new JoinedRow(
                    rs.getString("project"),
                    rs.getString("fleet_name"),
                    rs.getLong("sequence"),
                    rs.getInt("queue_length"),
                    rs.getString("instance_id") == null
                        ? null
                        : new FleetRecord.InstanceUsage(
                            rs.getString("instance_id"),
                            rs.getString("instance_name"),
                            rs.getInt("busy_blocks"),
                            rs.getInt("total_blocks"))));
    return rows.stream()
        .collect(
            Collectors.groupingBy(
                row -> List.of(row.project(), row.fleetName()),
                LinkedHashMap::new,
                Collectors.toList()))
        .values()
        .stream()
        .map(
            fleet ->
                new FleetRecord(
                    fleet.getFirst().project(),
                    fleet.getFirst().fleetName(),
                    fleet.getFirst().sequence(),
                    fleet.stream().map(JoinedRow::instance).filter(Objects::nonNull).toList(),
                    fleet.getFirst().queueLength()))
        .toList();
  }

  /** A fleet's record joined with one of its instances (null when it has none). */
  private record JoinedRow(
      String project,
      String fleetName,
      long sequence,
      int queueLength,
      FleetRecord.InstanceUsage instance) {}

  /**
   * Forgets the fleet's record, before a new workflow of the fleet starts over at sequence 1 (its
   * records would otherwise read as older than the last one stored).
   */
  public void forget(String project, String fleetName) {
    transactions.executeWithoutResult(
        tx -> {
          var key = key(project, fleetName);
          jdbc.update(
              "DELETE FROM fleet_record_instances WHERE project = :project"
                  + " AND fleet_name = :fleetName",
              key);
          jdbc.update(
              "DELETE FROM fleet_records WHERE project = :project AND fleet_name = :fleetName",
              key);
        });
  }

  private Optional<Long> storedSequence(MapSqlParameterSource key) {
    return jdbc
        .queryForList(
            "SELECT sequence FROM fleet_records WHERE project = :project"
                + " AND fleet_name = :fleetName",
            key,
            Long.class)
        .stream()
        .findFirst();
  }

  private static MapSqlParameterSource key(String project, String fleetName) {
    return new MapSqlParameterSource()
        .addValue("project", project)
        .addValue("fleetName", fleetName);
  }
}
