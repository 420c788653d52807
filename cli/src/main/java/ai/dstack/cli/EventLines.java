package ai.dstack.cli;

import ai.dstack.core.api.events.Event;
import ai.dstack.core.api.events.EventTarget;
import ai.dstack.core.api.events.EventTargetType;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.stream.Collectors;

/**
 * An event as {@code dstack event} prints it, one line each so it can be grepped: {@code
 * [2026-01-02 03:04:05] [👤admin] [run my-run] Run submitted. Status: SUBMITTED}: when (local
 * time), who (left out when the server did it), what it is about ({@code project/name} for another
 * project's entity), and what happened.
 */
final class EventLines {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private final String currentProject;
  private final ZoneId zone;

  EventLines(String currentProject, ZoneId zone) {
    this.currentProject = currentProject;
    this.zone = zone;
  }

  String line(Event event) {
    var line = new StringBuilder();
    line.append(Terminal.dim("[" + TIME.format(event.recordedAt().atZone(zone)) + "]"));
    if (event.actorUser() != null) {
      line.append(' ').append(Terminal.dim("[👤" + event.actorUser() + "]"));
    }
    String targets = event.targets().stream().map(this::target).collect(Collectors.joining(", "));
    line.append(' ').append(Terminal.dim("[" + targets + "]"));
    return line.append(' ').append(event.message()).toString();
  }

  private String target(EventTarget target) {
    String name = target.name();
    if (target.projectName() != null
        && !EventTargetType.PROJECT.equals(target.type())
        && !target.projectName().equals(currentProject)) {
      name = target.projectName() + "/" + name;
    }
    return target.type() + " " + name;
  }
}
