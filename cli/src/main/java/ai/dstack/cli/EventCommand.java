package ai.dstack.cli;

import ai.dstack.core.api.events.Event;
import ai.dstack.core.api.events.EventTargetType;
import ai.dstack.core.api.events.ListEventsRequest;
import ai.dstack.core.api.fleets.GetFleetRequest;
import ai.dstack.core.api.runs.GetRunRequest;
import ai.dstack.sdk.api.DstackApi;
import ai.dstack.sdk.api.DstackException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dstack event} (and {@code dstack event list}): the project's events, one line each, oldest
 * first: the latest 100, or all since {@code --since}; {@code -w} keeps printing new ones. The
 * {@code --target-*} options keep the events about the named entities, the {@code --within-*} ones
 * also those about what is in them (a run's jobs, a fleet's instances); without either, the events
 * of the whole project.
 */
@Command(
    name = "event",
    mixinStandardHelpOptions = true,
    description = "View events",
    subcommands = EventCommand.ListEvents.class)
final class EventCommand implements Callable<Integer> {

  /** dstack's page: 100 events. */
  static final int PAGE = ListEventsRequest.DEFAULT_LIMIT;

  /** How often {@code -w} asks for new events, as dstack's CLI. */
  static final Duration WATCH_INTERVAL = Duration.ofSeconds(2);

  /** How late an event may show up after it was recorded: {@code -w} looks back this far. */
  static final Duration DELAY_TOLERANCE = Duration.ofSeconds(20);

  @Mixin ProjectOptions project;
  @Mixin Filters filters;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return list(spec, project, filters);
  }

  /** {@code dstack event list}: the same as {@code dstack event}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List events within the selected project")
  static final class ListEvents implements Callable<Integer> {
    @Mixin ProjectOptions project;
    @Mixin Filters filters;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return list(spec, project, filters);
    }
  }

  /** dstack's options of {@code dstack event}. */
  static final class Filters {
    @Option(
        names = {"-w", "--watch"},
        description = "Watch events in realtime.")
    boolean watch;

    @Option(
        names = "--since",
        paramLabel = "SINCE",
        description =
            "Only show events newer than this: a duration (e.g. 10s, 5m, 1d) or an RFC 3339"
                + " date-time (e.g. 2023-09-24T15:30:00Z). Without it, the last 100 events.")
    String since;

    @Option(
        names = "--target-fleet",
        paramLabel = "NAME",
        description = "Only events about these fleets (NAME or PROJECT/NAME; repeatable).")
    List<String> targetFleets;

    @Option(
        names = "--target-run",
        paramLabel = "NAME",
        description = "Only events about these runs (repeatable).")
    List<String> targetRuns;

    @Option(
        names = "--target-volume",
        paramLabel = "NAME",
        description = "Only events about these volumes (repeatable).")
    List<String> targetVolumes;

    @Option(
        names = "--target-gateway",
        paramLabel = "NAME",
        description = "Only events about these gateways (repeatable).")
    List<String> targetGateways;

    @Option(
        names = "--target-secret",
        paramLabel = "NAME",
        description = "Only events about these secrets (repeatable).")
    List<String> targetSecrets;

    @Option(
        names = "--within-fleet",
        paramLabel = "NAME",
        description =
            "Only events about these fleets or their instances (NAME or PROJECT/NAME; repeatable).")
    List<String> withinFleets;

    @Option(
        names = "--within-run",
        paramLabel = "NAME",
        description = "Only events about these runs or their jobs (repeatable).")
    List<String> withinRuns;

    @Option(
        names = "--within-gateway",
        paramLabel = "NAME",
        description =
            "Only events about these gateways or their replicas (NAME or PROJECT/NAME;"
                + " repeatable).")
    List<String> withinGateways;

    @Option(
        names = "--include-target-type",
        paramLabel = "TYPE",
        description =
            "Only events about entities of these types (repeatable): project, user, fleet,"
                + " instance, run, job, volume, gateway, gateway-replica, secret, preset.")
    List<String> includeTargetTypes;
  }

  private static int list(CommandSpec spec, ProjectOptions project, Filters filters) {
    checkOptions(spec, filters);
    Instant since = filters.since == null ? null : LogsCommand.since(filters.since, Instant.now());
    var out = spec.commandLine().getOut();
    try (var dstack = project.connect()) {
      var api = dstack.api();
      var query = query(api, dstack.project(), filters);
      var lines = new EventLines(dstack.project(), ZoneId.systemDefault());
      if (filters.watch) {
        // Ctrl-C is how a watch ends: with 0, as dstack's.
        try (var ctrlC = CtrlC.exitsZero(out)) {
          new Tracker(api, query, since, lines, out).watch();
        }
      } else if (since != null) {
        page(api, query, since).forEach(e -> print(out, lines, e));
      } else {
        latest(api, query).forEach(e -> print(out, lines, e));
      }
    }
    return ExitCodes.OK;
  }

  private static void print(PrintWriter out, EventLines lines, Event event) {
    out.println(lines.line(event));
    out.flush();
  }

  /** The latest 100 events, oldest first. */
  private static List<Event> latest(DstackApi api, Supplier<ListEventsRequest.Builder> query) {
    return api.events().list(query.get().ascending(false).build()).reversed();
  }

  /** Every event recorded after {@code since}, oldest first, a page at a time. */
  private static List<Event> page(
      DstackApi api, Supplier<ListEventsRequest.Builder> query, Instant since) {
    var all = new ArrayList<Event>();
    Instant prevAt = since;
    UUID prevId = null;
    while (true) {
      var page =
          api.events().list(query.get().ascending(true).limit(PAGE).after(prevAt, prevId).build());
      all.addAll(page);
      if (page.size() < PAGE) {
        return all;
      }
      prevAt = page.getLast().recordedAt();
      prevId = page.getLast().id();
    }
  }

  /**
   * {@code -w}: prints new events every {@link #WATCH_INTERVAL}; each round looks back {@link
   * #DELAY_TOLERANCE} from the newest event seen, for events committed late, and skips the ones it
   * printed.
   */
  private record Tracker(
      DstackApi api,
      Supplier<ListEventsRequest.Builder> query,
      Instant since,
      EventLines lines,
      PrintWriter out) {

    void watch() {
      var seen = new HashMap<UUID, Instant>();
      Instant latest = null;
      while (true) {
        List<Event> batch;
        if (since == null && latest == null) {
          batch = latest(api, query);
        } else {
          var from = since == null ? Instant.EPOCH : since;
          if (latest != null && latest.minus(DELAY_TOLERANCE).isAfter(from)) {
            from = latest.minus(DELAY_TOLERANCE);
          }
          var cutoff = from;
          seen.values().removeIf(at -> at.isBefore(cutoff));
          batch = page(api, query, from);
        }
        for (var event : batch) {
          if (seen.putIfAbsent(event.id(), event.recordedAt()) == null) {
            print(out, lines, event);
          }
          latest = event.recordedAt();
        }
        try {
          Thread.sleep(WATCH_INTERVAL);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** As argparse's mutually exclusive groups: one kind of --target-*, one of --within-*. */
  private static void checkOptions(CommandSpec spec, Filters filters) {
    var targets = new LinkedHashMap<String, List<String>>();
    targets.put("--target-fleet", filters.targetFleets);
    targets.put("--target-run", filters.targetRuns);
    targets.put("--target-volume", filters.targetVolumes);
    targets.put("--target-gateway", filters.targetGateways);
    targets.put("--target-secret", filters.targetSecrets);
    var within = new LinkedHashMap<String, List<String>>();
    within.put("--within-fleet", filters.withinFleets);
    within.put("--within-run", filters.withinRuns);
    within.put("--within-gateway", filters.withinGateways);
    for (var group : List.of(targets, within)) {
      var used = group.entrySet().stream().filter(e -> e.getValue() != null).toList();
      if (used.size() > 1) {
        throw new ParameterException(
            spec.commandLine(),
            used.get(1).getKey()
                + " cannot be used with "
                + used.get(0).getKey()
                + ": give one kind of "
                + used.get(0).getKey().substring(0, used.get(0).getKey().indexOf('-', 2))
                + "-* option");
      }
    }
    if (filters.includeTargetTypes != null) {
      for (var type : filters.includeTargetTypes) {
        if (!EventTargetType.ALL.contains(type)) {
          throw new ParameterException(
              spec.commandLine(),
              "--include-target-type: "
                  + type
                  + " is not a target type; use one of "
                  + String.join(", ", EventTargetType.ALL));
        }
      }
    }
  }

  /**
   * The request's filters, with names resolved to ids as dstack's CLI resolves them; without any,
   * the events within the current project. A fresh builder each time.
   */
  private static Supplier<ListEventsRequest.Builder> query(
      DstackApi api, String project, Filters f) {
    var resolved = new ArrayList<Function<ListEventsRequest.Builder, ListEventsRequest.Builder>>();
    boolean targeted = true;
    if (f.targetFleets != null) {
      var ids = ids(f.targetFleets, name -> fleetId(api, project, name));
      resolved.add(b -> b.targetFleets(ids));
    } else if (f.targetRuns != null) {
      var ids = ids(f.targetRuns, name -> runId(api, project, name));
      resolved.add(b -> b.targetRuns(ids));
    } else if (f.targetVolumes != null) {
      var ids =
          ids(f.targetVolumes, name -> id("Volume", name, () -> api.volumes().get(project, name)));
      resolved.add(b -> b.targetVolumes(ids));
    } else if (f.targetGateways != null) {
      var ids =
          ids(
              f.targetGateways,
              name -> id("Gateway", name, () -> api.gateways().get(project, name)));
      resolved.add(b -> b.targetGateways(ids));
    } else if (f.targetSecrets != null) {
      var ids = ids(f.targetSecrets, name -> secretId(api, project, name));
      resolved.add(b -> b.targetSecrets(ids));
    } else {
      targeted = false;
    }
    if (f.withinFleets != null) {
      var ids = ids(f.withinFleets, name -> fleetId(api, project, name));
      resolved.add(b -> b.withinFleets(ids));
    } else if (f.withinRuns != null) {
      var ids = ids(f.withinRuns, name -> runId(api, project, name));
      resolved.add(b -> b.withinRuns(ids));
    } else if (f.withinGateways != null) {
      var ids =
          ids(
              f.withinGateways,
              text -> {
                var ref = reference(text);
                var in = ref.project() != null ? ref.project() : project;
                return id("Gateway", text, () -> api.gateways().get(in, ref.name()));
              });
      resolved.add(b -> b.withinGateways(ids));
    } else if (!targeted) {
      var projectId = api.projects().get(project).projectId();
      resolved.add(b -> b.withinProjects(List.of(projectId)));
    }
    if (f.includeTargetTypes != null) {
      var types = List.copyOf(f.includeTargetTypes);
      resolved.add(b -> b.includeTargetTypes(types));
    }
    return () -> {
      var builder = ListEventsRequest.builder();
      for (var filter : resolved) {
        builder = filter.apply(builder);
      }
      return builder;
    };
  }

  private static List<UUID> ids(List<String> names, Function<String, UUID> id) {
    return names.stream().map(id).distinct().toList();
  }

  private static UUID fleetId(DstackApi api, String project, String text) {
    var ref = reference(text);
    var in = ref.project() != null ? ref.project() : project;
    return notFoundAs(
        "Fleet " + text, () -> api.fleets().get(in, new GetFleetRequest(ref.name(), null)).id());
  }

  private static UUID runId(DstackApi api, String project, String name) {
    return notFoundAs(
        "Run " + name, () -> api.runs().get(project, GetRunRequest.byName(name)).id());
  }

  private static UUID secretId(DstackApi api, String project, String name) {
    return notFoundAs("Secret " + name, () -> api.secrets().get(project, name).id());
  }

  private static UUID id(String kind, String name, Supplier<JsonNode> get) {
    return notFoundAs(kind + " " + name, () -> UUID.fromString(get.get().path("id").asText()));
  }

  private static <T> T notFoundAs(String what, Supplier<T> get) {
    try {
      return get.get();
    } catch (DstackException.NotFound e) {
      throw new CliException(what + " not found");
    }
  }

  private static EntityReference reference(String text) {
    return EntityReference.parse(text);
  }
}
