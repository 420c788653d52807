package ai.dstack.orchestrator.fleets;

import ai.dstack.orchestrator.events.Events;
import ai.dstack.orchestrator.projects.ProjectAccess;
import ai.dstack.orchestrator.projects.ProjectEvents;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * The events of the local fleet as each project sees it: its fleet {@code local} and instance
 * {@code local-0} are created, for the project, when both exist, i.e. when the server has started
 * its local fleet (for the projects there are then) and when a project is created (while it runs).
 * Recorded once per project, under the ids that project's {@code fleets/list} shows.
 */
@Component
class LocalFleetEvents {
  private static final Logger log = LoggerFactory.getLogger(LocalFleetEvents.class);

  private final LocalFleet local;
  private final ProjectAccess projects;
  private final Events events;

  LocalFleetEvents(LocalFleet local, ProjectAccess projects, Events events) {
    this.local = local;
    this.projects = projects;
    this.events = events;
  }

  @EventListener(ApplicationReadyEvent.class)
  void localFleetStarted() {
    try {
      for (var project : projects.allProjects()) {
        recordFor(project.id());
      }
    } catch (DataAccessException e) {
      log.warn("Cannot record the local fleet's events: {}", e.getMessage());
    }
  }

  /** In the transaction that created the project. */
  @EventListener
  void projectCreated(ProjectEvents.ProjectCreated created) {
    recordFor(created.projectId());
  }

  private void recordFor(UUID projectId) {
    var fleetId = local.fleetIdIn(projectId);
    var instanceId = local.instanceIdIn(projectId);
    if (fleetId.isEmpty() || instanceId.isEmpty() || events.anyAbout(fleetId.get())) {
      return;
    }
    events.record(
        "Fleet created. Status: ACTIVE",
        Events.Target.fleet(projectId, fleetId.get(), LocalFleet.NAME));
    events.record(
        "Instance created on fleet submission. Status: IDLE",
        Events.Target.instance(
            projectId, fleetId.get(), instanceId.get(), LocalFleet.INSTANCE_NAME));
  }
}
