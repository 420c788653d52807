package ai.dstack.orchestrator.events;

import ai.dstack.core.api.events.Event;
import ai.dstack.core.api.events.EventTargetType;
import ai.dstack.core.api.events.ListEventsRequest;
import ai.dstack.core.runs.wire.Timestamps;
import ai.dstack.orchestrator.api.ApiException;
import ai.dstack.orchestrator.auth.Caller;
import ai.dstack.orchestrator.events.EventQuery.Scope;
import ai.dstack.orchestrator.events.EventQuery.TargetFilter;
import ai.dstack.orchestrator.events.EventQuery.Visibility;
import ai.dstack.orchestrator.events.EventQuery.WithinFilter;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * {@code events/list}: reads the request as dstack's {@code ListEventsRequest} (each filter 1 to 16
 * items, at most one {@code target_*} and one {@code within_*}, a limit of 1 to 100), and lists the
 * events the caller may see: those about the projects they are a member of and about themselves;
 * all for a global admin.
 */
@Service
class EventsService {

  /** Each {@code target_*} field and the type of entity it names. */
  private static final Map<String, String> TARGET_FIELDS = new LinkedHashMap<>();

  /** Each {@code within_*} field and where it looks. */
  private static final Map<String, Scope> WITHIN_FIELDS = new LinkedHashMap<>();

  static {
    TARGET_FIELDS.put("target_projects", EventTargetType.PROJECT);
    TARGET_FIELDS.put("target_users", EventTargetType.USER);
    TARGET_FIELDS.put("target_fleets", EventTargetType.FLEET);
    TARGET_FIELDS.put("target_instances", EventTargetType.INSTANCE);
    TARGET_FIELDS.put("target_runs", EventTargetType.RUN);
    TARGET_FIELDS.put("target_jobs", EventTargetType.JOB);
    TARGET_FIELDS.put("target_volumes", EventTargetType.VOLUME);
    TARGET_FIELDS.put("target_gateways", EventTargetType.GATEWAY);
    TARGET_FIELDS.put("target_gateway_replicas", EventTargetType.GATEWAY_REPLICA);
    TARGET_FIELDS.put("target_secrets", EventTargetType.SECRET);
    TARGET_FIELDS.put("target_presets", EventTargetType.PRESET);
    WITHIN_FIELDS.put("within_projects", Scope.PROJECT);
    WITHIN_FIELDS.put("within_fleets", Scope.FLEET);
    WITHIN_FIELDS.put("within_runs", Scope.RUN);
    WITHIN_FIELDS.put("within_gateways", Scope.GATEWAY);
  }

  private final EventStore store;

  EventsService(EventStore store) {
    this.store = store;
  }

  /** The page of events the request asks for, among those the caller may see. */
  List<Event> list(Caller caller, JsonNode request) {
    var query = query(request, visibility(caller));
    return store.list(query);
  }

  private Visibility visibility(Caller caller) {
    if (caller.isGlobalAdmin()) {
      return null;
    }
    return new Visibility(caller.userId(), store.memberProjects(caller.userId()));
  }

  /** The request as a query; a 400 naming the field when it does not read as dstack's. */
  static EventQuery query(JsonNode request, Visibility visibility) {
    if (request != null && !request.isNull() && !request.isObject()) {
      throw ApiException.badRequest("The request body must be a JSON object");
    }
    TargetFilter target = null;
    var targetsSet = new ArrayList<String>();
    for (var field : TARGET_FIELDS.entrySet()) {
      var ids = ids(request, field.getKey(), false);
      if (ids != null) {
        targetsSet.add(field.getKey());
        target = new TargetFilter(field.getValue(), ids);
      }
    }
    if (targetsSet.size() > 1) {
      throw ApiException.badRequest(
          "At most one target_* filter can be set at a time. Got " + String.join(", ", targetsSet));
    }
    WithinFilter within = null;
    var withinSet = new ArrayList<String>();
    for (var field : WITHIN_FIELDS.entrySet()) {
      var ids = ids(request, field.getKey(), false);
      if (ids != null) {
        withinSet.add(field.getKey());
        within = new WithinFilter(field.getValue(), ids);
      }
    }
    if (withinSet.size() > 1) {
      throw ApiException.badRequest(
          "At most one within_* filter can be set at a time. Got " + String.join(", ", withinSet));
    }
    List<String> types = null;
    var typesNode = field(request, "include_target_types");
    if (typesNode != null) {
      types = new ArrayList<>();
      for (var item : list(typesNode, "include_target_types")) {
        if (!item.isTextual() || !EventTargetType.ALL.contains(item.asText())) {
          throw ApiException.badRequest(
              "include_target_types: "
                  + item
                  + " is not a target type; use one of "
                  + String.join(", ", EventTargetType.ALL));
        }
        types.add(item.asText());
      }
    }
    var actors = ids(request, "actors", true);
    Instant prevRecordedAt = null;
    var prevAt = field(request, "prev_recorded_at");
    if (prevAt != null) {
      try {
        prevRecordedAt = Timestamps.parse(prevAt.asText());
      } catch (DateTimeParseException e) {
        throw ApiException.badRequest(
            "prev_recorded_at must be a date-time such as 2026-01-02T03:04:05+00:00, got "
                + prevAt);
      }
    }
    var prevIdNode = field(request, "prev_id");
    UUID prevId = prevIdNode == null ? null : uuid("prev_id", prevIdNode);
    int limit = ListEventsRequest.DEFAULT_LIMIT;
    var limitNode = field(request, "limit");
    if (limitNode != null) {
      if (!limitNode.canConvertToInt() || !limitNode.isIntegralNumber()) {
        throw ApiException.badRequest(
            "limit must be a whole number from 1 to 100, got " + limitNode);
      }
      limit = limitNode.asInt();
      if (limit < 1 || limit > ListEventsRequest.DEFAULT_LIMIT) {
        throw ApiException.badRequest("limit must be from 1 to 100, got " + limit);
      }
    }
    var ascendingNode = field(request, "ascending");
    if (ascendingNode != null && !ascendingNode.isBoolean()) {
      throw ApiException.badRequest("ascending must be true or false, got " + ascendingNode);
    }
    boolean ascending = ascendingNode != null && ascendingNode.asBoolean();
    return new EventQuery(
        target, within, types, actors, prevRecordedAt, prevId, limit, ascending, visibility);
  }

  /** The field's value; null when absent or null. */
  private static JsonNode field(JsonNode request, String name) {
    var value = request == null ? null : request.get(name);
    return value == null || value.isNull() ? null : value;
  }

  private static List<JsonNode> list(JsonNode node, String name) {
    if (!node.isArray()) {
      throw ApiException.badRequest(name + " must be a list, got " + node);
    }
    if (node.isEmpty() || node.size() > ListEventsRequest.MAX_FILTER_ITEMS) {
      throw ApiException.badRequest(
          name
              + " must list 1 to "
              + ListEventsRequest.MAX_FILTER_ITEMS
              + " items (leave it out for no filter), got "
              + node.size());
    }
    var items = new ArrayList<JsonNode>();
    node.forEach(items::add);
    return items;
  }

  /** A list of ids, or null when the field is absent; {@code nullable}: items may be null. */
  private static List<UUID> ids(JsonNode request, String name, boolean nullable) {
    var node = field(request, name);
    if (node == null) {
      return null;
    }
    var ids = new ArrayList<UUID>();
    for (var item : list(node, name)) {
      if (item.isNull() && nullable) {
        ids.add(null);
      } else {
        ids.add(uuid(name, item));
      }
    }
    return ids;
  }

  private static UUID uuid(String name, JsonNode value) {
    try {
      if (value.isTextual()) {
        return UUID.fromString(value.asText());
      }
    } catch (IllegalArgumentException e) {
      // answered below
    }
    throw ApiException.badRequest(name + ": " + value + " is not a UUID");
  }
}
