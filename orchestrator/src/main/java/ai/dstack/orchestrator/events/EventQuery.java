package ai.dstack.orchestrator.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A page of events as {@code events/list} asks for it, checked.
 *
 * @param target the one {@code target_*} filter, or null
 * @param within the one {@code within_*} filter, or null
 * @param includeTargetTypes only events with a target of one of these types, or null
 * @param actors only events caused by these users (a null item: by the server), or null
 * @param prevRecordedAt paging: after the event recorded then, or null for the first page
 * @param prevId paging: and with this id, or null
 * @param limit at most this many
 * @param ascending oldest first
 * @param visibleTo whose events: the projects they are a member of, and themselves; null for all
 */
record EventQuery(
    TargetFilter target,
    WithinFilter within,
    List<String> includeTargetTypes,
    List<UUID> actors,
    Instant prevRecordedAt,
    UUID prevId,
    int limit,
    boolean ascending,
    Visibility visibleTo) {

  /**
   * Only events about entities of {@code type} with these ids.
   *
   * @param type the target type
   * @param ids the ids
   */
  record TargetFilter(String type, List<UUID> ids) {}

  /** The columns the {@code within_*} filters look in. */
  enum Scope {
    PROJECT("entity_project_id"),
    FLEET("entity_fleet_id"),
    RUN("entity_run_id"),
    GATEWAY("entity_gateway_id");

    final String column;

    Scope(String column) {
      this.column = column;
    }
  }

  /**
   * Only events about these projects, fleets, runs or gateways, or anything in them.
   *
   * @param scope which
   * @param ids their ids
   */
  record WithinFilter(Scope scope, List<UUID> ids) {}

  /**
   * What a user who is not a global admin may see.
   *
   * @param userId the user: events about them
   * @param projectIds the projects they are a member of: events about anything in them
   */
  record Visibility(UUID userId, List<UUID> projectIds) {}
}
