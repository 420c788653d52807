package ai.dstack.orchestrator.events;

import ai.dstack.core.api.events.Event;
import ai.dstack.core.api.events.EventTarget;
import ai.dstack.core.api.events.EventTargetType;
import ai.dstack.orchestrator.persistence.SqlRows;
import ai.dstack.orchestrator.persistence.SqlValues;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionOperations;

/** The events and their targets, in the server's database. */
@Repository
class EventStore {
  private final NamedParameterJdbcOperations jdbc;
  private final SqlValues values;
  private final TransactionOperations transactions;

  EventStore(
      NamedParameterJdbcOperations jdbc, SqlValues values, TransactionOperations transactions) {
    this.jdbc = jdbc;
    this.values = values;
    this.transactions = transactions;
  }

  /** Stores an event with its targets, in the caller's transaction or one of its own. */
  void insert(
      UUID id, String message, Instant recordedAt, UUID actorUserId, List<Events.Target> targets) {
    transactions.executeWithoutResult(
        tx -> {
          jdbc.update(
              "INSERT INTO events (id, message, recorded_at, actor_user_id)"
                  + " VALUES (:id, :message, :recordedAt, :actor)",
              new MapSqlParameterSource()
                  .addValue("id", values.of(id))
                  .addValue("message", message)
                  .addValue("recordedAt", values.of(recordedAt))
                  .addValue("actor", values.of(actorUserId)));
          for (int i = 0; i < targets.size(); i++) {
            var target = targets.get(i);
            jdbc.update(
                "INSERT INTO event_targets (event_id, target_num, entity_type, entity_project_id,"
                    + " entity_id, entity_name, entity_run_id, entity_fleet_id, entity_gateway_id)"
                    + " VALUES (:eventId, :num, :type, :projectId, :entityId, :name, :runId,"
                    + " :fleetId, NULL)",
                new MapSqlParameterSource()
                    .addValue("eventId", values.of(id))
                    .addValue("num", i)
                    .addValue("type", target.type())
                    .addValue("projectId", values.of(target.projectId()))
                    .addValue("entityId", values.of(target.id()))
                    .addValue("name", target.name())
                    .addValue("runId", values.of(target.runId()))
                    .addValue("fleetId", values.of(target.fleetId())));
          }
        });
  }

  /** The projects the user is a member of (deleted ones too: their events stay theirs). */
  List<UUID> memberProjects(UUID userId) {
    return jdbc.query(
        "SELECT DISTINCT project_id FROM members WHERE user_id = :userId",
        new MapSqlParameterSource("userId", values.of(userId)),
        (rs, n) -> SqlRows.uuid(rs, "project_id"));
  }

  /** Whether any event names the entity as a target. */
  boolean anyAbout(UUID entityId) {
    return !jdbc.queryForList(
            "SELECT event_id FROM event_targets WHERE entity_id = :id LIMIT 1",
            new MapSqlParameterSource("id", values.of(entityId)),
            Object.class)
        .isEmpty();
  }

  /** Deletes the events recorded before {@code cutoff}; returns how many. */
  int deleteRecordedBefore(Instant cutoff) {
    var before = new MapSqlParameterSource("cutoff", values.of(cutoff));
    return transactions.execute(
        tx -> {
          jdbc.update(
              "DELETE FROM event_targets WHERE event_id IN"
                  + " (SELECT id FROM events WHERE recorded_at < :cutoff)",
              before);
          return jdbc.update("DELETE FROM events WHERE recorded_at < :cutoff", before);
        });
  }

  private void deleteEvents(List<Object> ids) {
    if (ids.isEmpty()) {
      return;
    }
    var parameters = new MapSqlParameterSource("ids", ids);
    jdbc.update("DELETE FROM event_targets WHERE event_id IN (:ids)", parameters);
    jdbc.update("DELETE FROM events WHERE id IN (:ids)", parameters);
  }

  /** A page of events, as dstack's {@code list_events} selects and orders them. */
  List<Event> list(EventQuery query) {
    var conditions = new ArrayList<String>();
    var parameters = new MapSqlParameterSource();
    if (query.actors() != null) {
      var users = query.actors().stream().filter(Objects::nonNull).map(values::of).toList();
      var anyOf = new ArrayList<String>();
      if (query.actors().contains(null)) {
        anyOf.add("e.actor_user_id IS NULL");
      }
      if (!users.isEmpty()) {
        anyOf.add("e.actor_user_id IN (:actors)");
        parameters.addValue("actors", users);
      }
      conditions.add("(" + String.join(" OR ", anyOf) + ")");
    }
    if (query.prevRecordedAt() != null) {
      parameters.addValue("prevAt", values.of(query.prevRecordedAt()));
      String after = query.ascending() ? ">" : "<";
      if (query.prevId() == null) {
        conditions.add("e.recorded_at " + after + " :prevAt");
      } else {
        // dstack's order: ids descending among equal times when ascending, ascending otherwise.
        String idAfter = query.ascending() ? "<" : ">";
        conditions.add(
            "(e.recorded_at "
                + after
                + " :prevAt OR (e.recorded_at = :prevAt AND e.id "
                + idAfter
                + " :prevId))");
        parameters.addValue("prevId", values.of(query.prevId()));
      }
    }
    var wanted = new ArrayList<String>();
    if (query.target() != null) {
      wanted.add("t.entity_type = :targetType AND t.entity_id IN (:targetIds)");
      parameters.addValue("targetType", query.target().type());
      parameters.addValue("targetIds", query.target().ids().stream().map(values::of).toList());
    }
    if (query.within() != null) {
      wanted.add("t." + query.within().scope().column + " IN (:withinIds)");
      parameters.addValue("withinIds", query.within().ids().stream().map(values::of).toList());
    }
    if (query.includeTargetTypes() != null) {
      wanted.add("t.entity_type IN (:types)");
      parameters.addValue("types", query.includeTargetTypes());
    }
    if (!wanted.isEmpty()) {
      // At least one target the caller asked for...
      conditions.add(
          "EXISTS (SELECT 1 FROM event_targets t WHERE t.event_id = e.id AND "
              + String.join(" AND ", wanted)
              + ")");
    }
    var visibility = query.visibleTo();
    if (visibility != null) {
      // ...and at least one the caller may see.
      var seen = new ArrayList<String>();
      if (!visibility.projectIds().isEmpty()) {
        seen.add("v.entity_project_id IN (:memberOf)");
        parameters.addValue("memberOf", visibility.projectIds().stream().map(values::of).toList());
      }
      seen.add("(v.entity_project_id IS NULL AND v.entity_type = :userType AND v.entity_id = :me)");
      parameters.addValue("userType", EventTargetType.USER);
      parameters.addValue("me", values.of(visibility.userId()));
      conditions.add(
          "EXISTS (SELECT 1 FROM event_targets v WHERE v.event_id = e.id AND ("
              + String.join(" OR ", seen)
              + "))");
    }
    String order =
        query.ascending()
            ? " ORDER BY e.recorded_at ASC, e.id DESC"
            : " ORDER BY e.recorded_at DESC, e.id ASC";
    parameters.addValue("limit", query.limit());
    var events =
        jdbc.query(
            "SELECT e.id, e.message, e.recorded_at, e.actor_user_id, u.name AS actor_name,"
                + " u.original_name AS actor_original_name, u.deleted AS actor_deleted"
                + " FROM events e LEFT JOIN users u ON u.id = e.actor_user_id"
                + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + order
                + " LIMIT :limit",
            parameters,
            EventStore::event);
    var targets = targetsOf(events.stream().map(EventRow::id).toList());
    return events.stream()
        .map(
            row ->
                new Event(
                    row.id(),
                    row.message(),
                    row.recordedAt(),
                    row.actorUserId(),
                    row.actorName(),
                    row.actorDeleted(),
                    targets.getOrDefault(row.id(), List.of())))
        .toList();
  }

  private Map<UUID, List<EventTarget>> targetsOf(List<UUID> eventIds) {
    var byEvent = new LinkedHashMap<UUID, List<EventTarget>>();
    if (eventIds.isEmpty()) {
      return byEvent;
    }
    jdbc.query(
        "SELECT t.*, p.name AS project_name, p.original_name AS project_original_name,"
            + " p.deleted AS project_deleted FROM event_targets t"
            + " LEFT JOIN projects p ON p.id = t.entity_project_id"
            + " WHERE t.event_id IN (:ids) ORDER BY t.event_id, t.target_num",
        new MapSqlParameterSource("ids", eventIds.stream().map(values::of).toList()),
        rs -> {
          UUID projectId = SqlRows.uuid(rs, "entity_project_id");
          String projectName = null;
          Boolean projectDeleted = null;
          if (projectId != null && rs.getString("project_name") != null) {
            projectDeleted = rs.getBoolean("project_deleted");
            projectName = rs.getString("project_name");
            if (projectDeleted && rs.getString("project_original_name") != null) {
              projectName = rs.getString("project_original_name");
            }
          }
          byEvent
              .computeIfAbsent(SqlRows.uuid(rs, "event_id"), k -> new ArrayList<>())
              .add(
                  new EventTarget(
                      rs.getString("entity_type"),
                      projectId,
                      projectName,
                      projectDeleted,
                      SqlRows.uuid(rs, "entity_id"),
                      rs.getString("entity_name")));
        });
    return byEvent;
  }

  /** An event's row with its actor's name. */
  private record EventRow(
      UUID id,
      String message,
      Instant recordedAt,
      UUID actorUserId,
      String actorName,
      Boolean actorDeleted) {}

  private static EventRow event(ResultSet rs, int rowNum) throws SQLException {
    UUID actor = SqlRows.uuid(rs, "actor_user_id");
    String name = null;
    Boolean deleted = null;
    if (actor != null && rs.getString("actor_name") != null) {
      deleted = rs.getBoolean("actor_deleted");
      name = rs.getString("actor_name");
      if (deleted && rs.getString("actor_original_name") != null) {
        name = rs.getString("actor_original_name");
      }
    }
    return new EventRow(
        SqlRows.uuid(rs, "id"),
        rs.getString("message"),
        SqlRows.instant(rs, "recorded_at"),
        actor,
        name,
        deleted);
  }
}
