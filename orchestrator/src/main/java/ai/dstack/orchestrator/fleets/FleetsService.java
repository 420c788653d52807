package ai.dstack.orchestrator.fleets;

import ai.dstack.core.api.fleets.DeleteFleetInstancesRequest;
import ai.dstack.core.api.fleets.DeleteFleetsRequest;
import ai.dstack.core.api.fleets.GetFleetRequest;
import ai.dstack.core.api.fleets.GetInstanceHealthChecksRequest;
import ai.dstack.core.api.fleets.GetInstanceRequest;
import ai.dstack.core.api.fleets.ListFleetsRequest;
import ai.dstack.core.api.fleets.ListInstancesRequest;
import ai.dstack.core.json.Json;
import ai.dstack.core.runs.wire.BackendTypes;
import ai.dstack.core.runs.wire.Fleet;
import ai.dstack.core.runs.wire.Instance;
import ai.dstack.core.runs.wire.InstanceType;
import ai.dstack.orchestrator.api.ApiException;
import ai.dstack.orchestrator.auth.Caller;
import ai.dstack.orchestrator.projects.ProjectAccess;
import ai.dstack.orchestrator.projects.ProjectAccess.ProjectRef;
import ai.dstack.workflows.projections.FleetRecord;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.stereotype.Service;

/**
 * dstack's fleets and instances API over the server's fleets, which so far are the local fleet
 * alone: every project shows it as its fleet {@code local}, with this host as its one instance; SSH
 * and cloud fleets are refused with a message that says so.
 */
@Service
class FleetsService {

  /** dstack's bound on a page of {@code /api/fleets/list}. */
  static final int MAX_FLEETS_LIMIT = 100;

  static final int DEFAULT_INSTANCES_LIMIT = 1000;

  private static final String TURN_OFF =
      "To run the server without it, restart the server with DSTACK_LOCAL_FLEET=false.";

  private final LocalFleet localFleet;
  private final FleetRecords records;
  private final ProjectAccess access;

  FleetsService(LocalFleet localFleet, FleetRecords records, ProjectAccess access) {
    this.localFleet = localFleet;
    this.records = records;
    this.access = access;
  }

  // ---- Fleets in a project. ----

  /** {@code fleets/list}: the project's fleets, i.e. the local fleet when the server has one. */
  List<Fleet> list(Caller caller, String projectName) {
    var project = access.member(caller, projectName);
    return fleetsIn(List.of(project), new Snapshot());
  }

  /** {@code fleets/get}: by id when given, else by name; a deleted fleet is found by id only. */
  Fleet get(Caller caller, String projectName, GetFleetRequest request) {
    var project = access.member(caller, projectName);
    if (request == null || (request.id() == null && request.name() == null)) {
      throw ApiException.badRequest("name or id must be specified");
    }
    var snapshot = new Snapshot();
    return fleetsIn(List.of(project), snapshot).stream()
        .filter(
            f ->
                request.id() != null
                    ? f.id().equals(request.id()) || isStoredFleetId(request.id(), snapshot)
                    : f.name().equals(request.name()))
        .findFirst()
        .orElseThrow(() -> ApiException.resourceNotExists("Fleet not found"));
  }

  /**
   * {@code fleets/get_plan}: SSH and cloud fleets are not supported yet, and the local fleet is the
   * server's own.
   */
  Object getPlan(Caller caller, String projectName, Map<String, Object> body) {
    access.member(caller, projectName);
    throw notSupported(body);
  }

  /** {@code fleets/apply}: as {@link #getPlan}. */
  Object apply(Caller caller, String projectName, Map<String, Object> body) {
    access.member(caller, projectName);
    Object plan = body == null ? null : body.get("plan");
    throw notSupported(plan instanceof Map<?, ?> map ? asMap(map) : null);
  }

  /** {@code fleets/delete}: the local fleet cannot be deleted; names of no fleet are ignored. */
  void delete(Caller caller, String projectName, DeleteFleetsRequest request) {
    access.member(caller, projectName);
    if (localFleet.enabled() && request.names().contains(LocalFleet.NAME)) {
      throw ApiException.badRequest(
          "Fleet local is this server's own host and cannot be deleted. " + TURN_OFF);
    }
  }

  /** {@code fleets/delete_instances}: as {@link #delete}. */
  void deleteInstances(Caller caller, String projectName, DeleteFleetInstancesRequest request) {
    access.member(caller, projectName);
    if (localFleet.enabled() && LocalFleet.NAME.equals(request.name())) {
      throw ApiException.badRequest(
          "The instance of fleet local is this server's own host and cannot be deleted. "
              + TURN_OFF);
    }
  }

  // ---- Across projects. ----

  /** {@code /api/fleets/list}: the fleets of the caller's projects, a page at a time. */
  List<Fleet> listAll(Caller caller, ListFleetsRequest request) {
    var r = request == null ? ListFleetsRequest.defaults() : request;
    int limit = r.limit() == null ? MAX_FLEETS_LIMIT : r.limit();
    if (limit < 0 || limit > MAX_FLEETS_LIMIT) {
      throw ApiException.badRequest("limit should be between 0 and " + MAX_FLEETS_LIMIT);
    }
    var projects =
        access.all(caller).stream()
            .filter(p -> r.projectName() == null || p.name().equals(r.projectName()))
            .toList();
    var fleets = fleetsIn(projects, new Snapshot());
    return page(
        fleets,
        Fleet::createdAt,
        Fleet::id,
        r.prevCreatedAt(),
        r.prevId(),
        limit,
        Boolean.TRUE.equals(r.ascending()));
  }

  /** {@code /api/instances/list}: the instances of the caller's projects, a page at a time. */
  List<Instance> listInstances(Caller caller, ListInstancesRequest request) {
    var r = request == null ? ListInstancesRequest.defaults() : request;
    int limit = r.limit() == null ? DEFAULT_INSTANCES_LIMIT : r.limit();
    if (limit < 0) {
      throw ApiException.badRequest("limit should not be negative");
    }
    var projects =
        access.all(caller).stream()
            .filter(p -> r.projectNames() == null || r.projectNames().contains(p.name()))
            .toList();
    var instances =
        fleetsIn(projects, new Snapshot()).stream()
            .filter(f -> r.fleetIds() == null || r.fleetIds().contains(f.id()))
            .flatMap(f -> f.instances().stream())
            .toList();
    return page(
        instances,
        Instance::created,
        Instance::id,
        r.prevCreatedAt(),
        r.prevId(),
        limit,
        Boolean.TRUE.equals(r.ascending()));
  }

  /** {@code instances/get}: an instance of the project's fleets, by id. */
  Instance getInstance(Caller caller, String projectName, GetInstanceRequest request) {
    var project = access.member(caller, projectName);
    var snapshot = new Snapshot();
    return fleetsIn(List.of(project), snapshot).stream()
        .flatMap(f -> f.instances().stream())
        .filter(
            i ->
                i.id().equals(request.id())
                    || snapshot.started.map(s -> s.instanceId().equals(request.id())).orElse(false))
        .findFirst()
        .orElseThrow(() -> ApiException.resourceNotExists("Instance not found"));
  }

  /**
   * {@code instances/get_instance_health_checks}: the local instance is checked by the shim's
   * supervision, which keeps no history of checks.
   */
  Map<String, Object> healthChecks(
      Caller caller, String projectName, GetInstanceHealthChecksRequest request) {
    var project = access.member(caller, projectName);
    boolean exists =
        fleetsIn(List.of(project), new Snapshot()).stream()
            .filter(f -> f.name().equals(request.fleetName()))
            .flatMap(f -> f.instances().stream())
            .anyMatch(i -> i.instanceNum() == request.instanceNum());
    if (!exists) {
      throw ApiException.resourceNotExists("Instance not found");
    }
    return Map.of("health_checks", List.of());
  }

  // ---- The local fleet as a project sees it. ----

  /** What every project's view of the local fleet shares, read once per request. */
  private final class Snapshot {
    final Optional<LocalFleet.Started> started = localFleet.started();
    final boolean reachable = started.isPresent() && localFleet.reachable();
    final Optional<FleetRecord> record =
        started.isPresent()
            ? records.find(LocalFleet.WORKFLOW_PROJECT, LocalFleet.NAME)
            : Optional.empty();
  }

  private List<Fleet> fleetsIn(List<ProjectRef> projects, Snapshot snapshot) {
    if (snapshot.started.isEmpty()) {
      return List.of();
    }
    var started = snapshot.started.get();
    var instance = started.instance();
    int busy =
        snapshot
            .record
            .flatMap(
                r ->
                    r.instances().stream()
                        .filter(u -> u.instanceId().equals(instance.instanceId()))
                        .findFirst())
            .map(FleetRecord.InstanceUsage::busyBlocks)
            .orElse(0);
    var spec = spec(instance.hostname());
    var instanceType =
        InstanceType.of(instance.instanceType(), instance.resources(), LocalFleet.cpuArch());
    List<Fleet> fleets = new ArrayList<>();
    for (var project : projects) {
      UUID fleetId = LocalFleet.scoped(started.fleetId(), project.id());
      var wireInstance =
          new Instance(
              LocalFleet.scoped(started.instanceId(), project.id()),
              project.name(),
              BackendTypes.toWire(instance.backend()),
              instanceType,
              instance.instanceName(),
              fleetId,
              LocalFleet.NAME,
              0,
              null,
              instance.hostname(),
              busy > 0 ? "busy" : "idle",
              !snapshot.reachable,
              "healthy",
              null,
              null,
              started.instanceCreatedAt(),
              null,
              instance.region(),
              null,
              instance.price(),
              instance.totalBlocks(),
              busy,
              null);
      fleets.add(
          new Fleet(
              fleetId,
              LocalFleet.NAME,
              project.name(),
              spec,
              started.createdAt(),
              "active",
              null,
              List.of(wireInstance)));
    }
    return fleets;
  }

  private boolean isStoredFleetId(UUID id, Snapshot snapshot) {
    return snapshot.started.map(s -> s.fleetId().equals(id)).orElse(false);
  }

  /**
   * The local fleet's spec, shaped as dstack's fleet of existing hosts (an SSH fleet of this one
   * host), which is what its instance's backend, {@code remote}, tells the client.
   */
  private ObjectNode spec(String hostname) {
    var spec = Json.MAPPER.createObjectNode();
    var configuration = spec.putObject("configuration");
    configuration.put("type", "fleet");
    configuration.put("name", LocalFleet.NAME);
    var blocks = localFleet.blocks();
    if (blocks.isAuto()) {
      configuration.put("blocks", "auto");
    } else {
      configuration.put("blocks", blocks.count());
    }
    configuration.putObject("ssh_config").putArray("hosts").add(hostname);
    spec.putNull("configuration_path");
    spec.putObject("profile").put("name", "default");
    spec.put("autocreated", false);
    return spec;
  }

  // ---- Not supported. ----

  private ApiException notSupported(Map<String, Object> plan) {
    Object spec = plan == null ? null : plan.get("spec");
    Object configuration = spec instanceof Map<?, ?> s ? s.get("configuration") : null;
    Map<String, Object> conf =
        configuration instanceof Map<?, ?> c ? asMap(c) : Map.<String, Object>of();
    String where =
        localFleet.enabled()
            ? " Runs use this server's own host: fleet local."
            : " This server's local fleet is off (DSTACK_LOCAL_FLEET=false).";
    if (localFleet.enabled() && LocalFleet.NAME.equals(conf.get("name"))) {
      return ApiException.badRequest(
          "Fleet local is this server's own host, which the server manages; it cannot be"
              + " created or changed with dstack apply. "
              + TURN_OFF);
    }
    if (conf.get("ssh_config") != null) {
      return ApiException.badRequest("SSH fleets are not supported yet by this server." + where);
    }
    return ApiException.badRequest(
        "Cloud fleets are not supported yet by this server: it has no backends." + where);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  /** dstack's keyset paging: newest first (or oldest), after the previous page's last item. */
  private static <T> List<T> page(
      List<T> items,
      Function<T, Instant> createdAt,
      Function<T, UUID> id,
      Instant prevCreatedAt,
      UUID prevId,
      int limit,
      boolean ascending) {
    Comparator<T> order = Comparator.comparing(createdAt).thenComparing(id);
    if (!ascending) {
      order = order.reversed();
    }
    return items.stream()
        .filter(
            item -> {
              if (prevCreatedAt == null) {
                return true;
              }
              int byTime = createdAt.apply(item).compareTo(prevCreatedAt);
              int cmp =
                  byTime != 0 ? byTime : (prevId == null ? 0 : id.apply(item).compareTo(prevId));
              return ascending ? cmp > 0 : cmp < 0;
            })
        .sorted(order)
        .limit(limit)
        .toList();
  }
}
