package ai.dstack.orchestrator.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.api.events.Event;
import ai.dstack.core.json.Json;
import ai.dstack.orchestrator.events.Events.Target;
import ai.dstack.orchestrator.testing.ServerTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The events' tables on the one schema, run on SQLite and on PostgreSQL: what is recorded reads
 * back newest first with its targets and actor; each filter finds what it names; pages follow one
 * another without gaps or repeats both ways; a user sees their projects' events and their own;
 * expired events and those of a removed run are deleted.
 */
abstract class EventStoreTest extends ServerTest {

  @Autowired Events events;
  @Autowired EventStore store;

  /** A project of the admin's, made through the API: its id. */
  private UUID project(String name) {
    var created = createProject(ADMIN, name);
    assertEquals(200, created.status(), created.toString());
    return UUID.fromString(created.json().path("project_id").asString());
  }

  private UUID adminId() {
    var me = api().post("/api/users/get_my_user", ADMIN, null);
    return UUID.fromString(me.json().path("id").asString());
  }

  /** The events the admin (who sees all) gets for this request body. */
  private List<Event> list(Map<String, Object> request) {
    return store.list(EventsService.query(Json.MAPPER.valueToTree(request), null));
  }

  /** The events' messages, but for the one every new project has. */
  private static List<String> messages(List<Event> events) {
    return events.stream().map(Event::message).filter(m -> !m.equals("Project created")).toList();
  }

  @Test
  void eventsReadBackNewestFirstWithTheirTargetsAndActor() {
    String name = unique("ev");
    UUID project = project(name);
    UUID admin = adminId();
    UUID run = UUID.randomUUID();
    UUID job = UUID.randomUUID();

    events.recordBy(admin, "Run submitted. Status: SUBMITTED.", Target.run(project, run, "r1"));
    events.record("Job created\non run submission", Target.job(project, run, job, "r1-0-0"));

    var listed = list(Map.of("within_projects", List.of(project.toString())));

    assertEquals(
        List.of("Job created on run submission", "Run submitted. Status: SUBMITTED"),
        messages(listed));
    var submitted = listed.get(1);
    assertEquals(admin, submitted.actorUserId());
    assertEquals("admin", submitted.actorUser());
    assertEquals(false, submitted.isActorUserDeleted());
    var target = submitted.targets().getFirst();
    assertEquals("run", target.type());
    assertEquals(run, target.id());
    assertEquals("r1", target.name());
    assertEquals(project, target.projectId());
    assertEquals(name, target.projectName());
    assertEquals(false, target.isProjectDeleted());
    var created = listed.getFirst();
    assertNull(created.actorUserId());
    assertNull(created.actorUser());
    assertEquals("job", created.targets().getFirst().type());
    assertTrue(created.recordedAt().isAfter(submitted.recordedAt()), listed.toString());
  }

  @Test
  void eachFilterFindsWhatItNames() {
    UUID project = project(unique("filters"));
    UUID admin = adminId();
    UUID run = UUID.randomUUID();
    UUID job = UUID.randomUUID();
    UUID fleet = UUID.randomUUID();
    UUID instance = UUID.randomUUID();
    UUID secret = UUID.randomUUID();
    events.recordBy(admin, "Run submitted", Target.run(project, run, "r"));
    events.record("Job created", Target.job(project, run, job, "r-0-0"));
    events.record("Fleet created", Target.fleet(project, fleet, "f"));
    events.record("Instance created", Target.instance(project, fleet, instance, "f-0"));
    events.recordBy(admin, "Secret created", Target.secret(project, secret, "s"));

    assertEquals(
        List.of("Run submitted"), messages(list(Map.of("target_runs", List.of(run.toString())))));
    assertEquals(
        List.of("Job created", "Run submitted"),
        messages(list(Map.of("within_runs", List.of(run.toString())))));
    assertEquals(
        List.of("Instance created", "Fleet created"),
        messages(list(Map.of("within_fleets", List.of(fleet.toString())))));
    assertEquals(
        List.of("Instance created"),
        messages(list(Map.of("target_instances", List.of(instance.toString())))));
    assertEquals(
        List.of("Secret created"),
        messages(list(Map.of("target_secrets", List.of(secret.toString())))));
    var within = List.of(project.toString());
    assertEquals(
        List.of("Instance created", "Fleet created"),
        messages(
            list(
                Map.of(
                    "within_projects",
                    within,
                    "include_target_types",
                    List.of("fleet", "instance")))));
    var nobody = new ArrayList<String>();
    nobody.add(null);
    assertEquals(
        List.of("Instance created", "Fleet created", "Job created"),
        messages(list(Map.of("within_projects", within, "actors", nobody))));
    assertEquals(
        List.of("Secret created", "Run submitted"),
        messages(list(Map.of("within_projects", within, "actors", List.of(admin.toString())))));
  }

  @Test
  void pagesFollowOneAnotherWithoutGapsOrRepeatsBothWays() {
    UUID project = project(unique("pages"));
    var recorded = new ArrayList<String>();
    for (int i = 0; i < 7; i++) {
      recorded.add("Event " + i);
      events.record("Event " + i, Target.project(project, "p"));
    }
    var within = List.of(project.toString());

    var newestFirst = new ArrayList<String>();
    var oldestFirst = new ArrayList<String>();
    for (boolean ascending : new boolean[] {false, true}) {
      Event last = null;
      while (true) {
        var request = new java.util.HashMap<String, Object>();
        request.put("within_projects", within);
        request.put("limit", 3);
        request.put("ascending", ascending);
        if (last != null) {
          request.put("prev_recorded_at", Json.MAPPER.valueToTree(last).path("recorded_at"));
          request.put("prev_id", last.id().toString());
        }
        var page = list(request);
        (ascending ? oldestFirst : newestFirst).addAll(messages(page));
        if (page.size() < 3) {
          break;
        }
        last = page.getLast();
      }
    }

    assertEquals(recorded, oldestFirst);
    assertEquals(recorded.reversed(), newestFirst);
  }

  @Test
  void aUserSeesTheirProjectsEventsAndTheirOwnOnly() {
    String username = unique("member");
    String token = createUser(username, "user");
    String mine = unique("mine");
    assertEquals(200, createProject(token, mine).status());
    UUID myProject =
        UUID.fromString(
            api()
                .post("/api/projects/" + mine + "/get", token, null)
                .json()
                .path("project_id")
                .asString());
    UUID otherProject = project(unique("other"));
    UUID me =
        UUID.fromString(
            api().post("/api/users/get_my_user", token, null).json().path("id").asString());
    UUID someoneElse = UUID.randomUUID();
    events.record("About my project", Target.secret(myProject, UUID.randomUUID(), "s"));
    events.record("About another project", Target.secret(otherProject, UUID.randomUUID(), "s"));
    events.record("About me", Target.user(me, username));
    events.record("About someone else", Target.user(someoneElse, "else"));
    var visibility = new EventQuery.Visibility(me, store.memberProjects(me));

    var seen =
        store
            .list(EventsService.query(Json.MAPPER.valueToTree(Map.of("limit", 100)), visibility))
            .stream()
            .map(Event::message)
            .toList();

    assertTrue(seen.contains("About my project"), seen.toString());
    assertTrue(seen.contains("About me"), seen.toString());
    assertTrue(seen.contains("Project created"), seen.toString());
    assertFalse(seen.contains("About another project"), seen.toString());
    assertFalse(seen.contains("About someone else"), seen.toString());
    var admin = messages(list(Map.of("target_users", List.of(someoneElse.toString()))));
    assertEquals(List.of("About someone else"), admin);
  }

  @Test
  void expiredEventsAreDeleted() {
    UUID project = project(unique("gone"));
    events.record("Old", Target.project(project, "p"));
    var within = Map.<String, Object>of("within_projects", List.of(project.toString()));
    Instant old = list(within).getFirst().recordedAt();
    events.record("New", Target.project(project, "p"));
    assertEquals(List.of("New", "Old"), messages(list(within)));
    assertTrue(store.deleteRecordedBefore(old.plusMillis(1)) >= 1);
    assertEquals(List.of("New"), messages(list(within)));
  }
}
