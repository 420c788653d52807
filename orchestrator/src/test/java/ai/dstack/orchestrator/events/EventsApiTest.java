package ai.dstack.orchestrator.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.orchestrator.testing.DstackClient;
import ai.dstack.orchestrator.testing.RunRequests;
import ai.dstack.orchestrator.testing.ServerTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code events/list} over real runs on the local fleet: a run's life as dstack tells it, in order;
 * who stopped it; filters and pages; the local fleet, projects and secrets; and nothing of a
 * project for those outside it. Run on SQLite and on PostgreSQL.
 */
abstract class EventsApiTest extends ServerTest {
  private static final Pattern CHANGE = Pattern.compile("status changed (\\w+) -> (\\w+)");

  @TempDir Path home;

  private JsonNode events(String token, Map<String, Object> request) {
    var listed = api().post("/api/events/list", token, request);
    assertEquals(200, listed.status(), listed.toString());
    return listed.json();
  }

  private static List<String> messages(JsonNode events) {
    var messages = new ArrayList<String>();
    events.forEach(e -> messages.add(e.path("message").asString()));
    return messages;
  }

  private static List<String> messagesAbout(JsonNode events, String type) {
    var messages = new ArrayList<String>();
    events.forEach(
        e -> {
          if (e.path("targets").path(0).path("type").asString().equals(type)) {
            messages.add(e.path("message").asString());
          }
        });
    return messages;
  }

  /** Each change starts where the one before ended: the status it tells was the stored one. */
  private static void assertChain(List<String> changes, String first, String last) {
    String at = first;
    for (var change : changes) {
      var matcher = CHANGE.matcher(change);
      assertTrue(matcher.find(), change);
      assertEquals(at, matcher.group(1), changes.toString());
      at = matcher.group(2);
    }
    assertEquals(last, at, changes.toString());
  }

  private String newProject(String prefix) {
    var name = unique(prefix);
    assertEquals(200, createProject(ADMIN, name).status());
    return name;
  }

  private String projectId(String project) {
    return api()
        .post("/api/projects/" + project + "/get", ADMIN, null)
        .json()
        .path("project_id")
        .asString();
  }

  @Test
  void aRunsEventsTellItsLifeInOrder() {
    var project = newProject("life");
    var runs = new RunRequests(api(), ADMIN);
    var applied = runs.apply(project, "life", List.of("echo hello"));
    var runId = applied.path("id").asString();
    runs.awaitFinished(project, "life", Duration.ofMinutes(2));

    var ascending = events(ADMIN, Map.of("within_runs", List.of(runId), "ascending", true));
    var newestFirst = events(ADMIN, Map.of("within_runs", List.of(runId)));

    var runMessages = messagesAbout(ascending, "run");
    assertEquals(
        "Run submitted. Status: SUBMITTED", runMessages.getFirst(), runMessages.toString());
    assertChain(runMessages.subList(1, runMessages.size()), "SUBMITTED", "DONE");
    assertTrue(
        runMessages.contains(
            "Run status changed RUNNING -> TERMINATING. Termination reason: ALL_JOBS_DONE"),
        runMessages.toString());
    var jobMessages = messagesAbout(ascending, "job");
    assertEquals(
        "Job created on run submission. Status: SUBMITTED",
        jobMessages.getFirst(),
        jobMessages.toString());
    assertChain(jobMessages.subList(1, jobMessages.size()), "SUBMITTED", "DONE");
    assertTrue(
        jobMessages.contains("Job status changed PULLING -> RUNNING"), jobMessages.toString());
    assertEquals(messages(ascending).reversed(), messages(newestFirst));

    var submitted = ascending.path(0);
    assertEquals("admin", submitted.path("actor_user").asString());
    var target = submitted.path("targets").path(0);
    assertEquals(runId, target.path("id").asString());
    assertEquals("life", target.path("name").asString());
    assertEquals(project, target.path("project_name").asString());
    assertEquals(false, target.path("is_project_deleted").asBoolean());
    var job = applied.path("jobs").path(0);
    var jobTarget = ascending.path(1).path("targets").path(0);
    assertEquals(
        job.path("job_submissions").path(0).path("id").asString(), jobTarget.path("id").asString());
    assertEquals(
        job.path("job_spec").path("job_name").asString(), jobTarget.path("name").asString());
    assertTrue(ascending.path(1).path("actor_user").isNull(), ascending.path(1).toString());

    var deleted =
        api()
            .post(
                "/api/project/" + project + "/runs/delete",
                ADMIN,
                Map.of("runs_names", List.of("life")));
    assertEquals(200, deleted.status(), deleted.toString());
    var latest = events(ADMIN, Map.of("target_runs", List.of(runId), "limit", 1)).path(0);
    assertEquals("Run deleted", latest.path("message").asString());
    assertEquals("admin", latest.path("actor_user").asString());
  }

  @Test
  void dstacksOwnCliPrintsARunsEvents() {
    var project = newProject("cli");
    var runs = new RunRequests(api(), ADMIN);
    runs.apply(project, "told", List.of("echo told"));
    runs.awaitFinished(project, "told", Duration.ofMinutes(2));
    var added =
        DstackClient.cli(
            home,
            "project",
            "add",
            "--name",
            project,
            "--url",
            "http://127.0.0.1:" + port,
            "--token",
            ADMIN,
            "-y");
    assertEquals(0, added.exitCode(), added.output());

    var listed = DstackClient.cli(home, "event", "--within-run", "told", "--project", project);
    // dstack's parser takes --project before the subcommand only.
    var everything = DstackClient.cli(home, "event", "--project", project, "list");

    assertEquals(0, listed.exitCode(), listed.output());
    assertTrue(
        listed.output().contains("[👤admin] [run told] Run submitted. Status: SUBMITTED"),
        listed.output());
    assertTrue(
        listed.output().contains("[run told] Run status changed TERMINATING -> DONE"),
        listed.output());
    assertEquals(0, everything.exitCode(), everything.output());
    assertTrue(
        everything.output().contains("[fleet local] Fleet created. Status: ACTIVE"),
        everything.output());
  }

  @Test
  void theUserWhoStopsARunIsItsActor() {
    var project = newProject("stopper");
    var username = unique("stopper");
    var token = createUser(username, "user");
    assertEquals(
        200, setMembers(ADMIN, project, ordered("admin", "admin", username, "user")).status());
    var runs = new RunRequests(api(), token);
    runs.apply(project, "stopped", List.of("echo started", "sleep 600"));
    // Its command has begun: a stop that lands while dstack's `bash -i` still starts is ignored
    // (an interactive shell ignores SIGTERM) until stop_duration, here and in dstack.
    var running =
        runs.awaitRunningWithLines(project, "stopped", "started", 1, Duration.ofMinutes(2));

    var stop =
        api()
            .post(
                "/api/project/" + project + "/runs/stop",
                token,
                Map.of("runs_names", List.of("stopped"), "abort", false));
    assertEquals(200, stop.status(), stop.toString());
    runs.awaitFinished(project, "stopped", Duration.ofMinutes(2));

    var byUser =
        events(
            token,
            Map.of(
                "target_runs",
                List.of(running.path("id").asString()),
                "actors",
                List.of(createdUserId(token))));
    assertEquals(
        List.of(
            "Run status changed RUNNING -> TERMINATING. Termination reason: STOPPED_BY_USER",
            "Run submitted. Status: SUBMITTED"),
        messages(byUser));
    assertEquals(username, byUser.path(0).path("actor_user").asString());
    var runMessages =
        messages(events(token, Map.of("target_runs", List.of(running.path("id").asString()))));
    assertEquals("Run status changed TERMINATING -> TERMINATED", runMessages.getFirst());
  }

  @Test
  void filtersAndPagesAreDstacks() {
    var project = newProject("pages");
    var runs = new RunRequests(api(), ADMIN);
    var applied = runs.apply(project, "paged", List.of("echo paged"));
    runs.awaitFinished(project, "paged", Duration.ofMinutes(2));
    var runId = applied.path("id").asString();
    var jobId = applied.path("jobs").path(0).path("job_submissions").path(0).path("id").asString();
    var all = messages(events(ADMIN, Map.of("within_runs", List.of(runId), "ascending", true)));

    var paged = new ArrayList<String>();
    JsonNode last = null;
    do {
      var request = new HashMap<String, Object>();
      request.put("within_runs", List.of(runId));
      request.put("ascending", true);
      request.put("limit", 2);
      if (last != null) {
        request.put("prev_recorded_at", last.path("recorded_at").asString());
        request.put("prev_id", last.path("id").asString());
      }
      var page = events(ADMIN, request);
      paged.addAll(messages(page));
      last = page.size() == 2 ? page.path(1) : null;
    } while (last != null);
    assertEquals(all, paged);

    var jobOnly = messages(events(ADMIN, Map.of("target_jobs", List.of(jobId))));
    assertTrue(jobOnly.stream().allMatch(m -> m.startsWith("Job ")), jobOnly.toString());
    var runsOnly =
        messages(
            events(
                ADMIN,
                Map.of("within_runs", List.of(runId), "include_target_types", List.of("run"))));
    assertTrue(runsOnly.stream().allMatch(m -> m.startsWith("Run ")), runsOnly.toString());
    var nobody = new ArrayList<String>();
    nobody.add(null);
    var bySystem = messages(events(ADMIN, Map.of("within_runs", List.of(runId), "actors", nobody)));
    assertEquals(all.size() - 1, bySystem.size(), bySystem.toString());
    assertFalse(bySystem.contains("Run submitted. Status: SUBMITTED"), bySystem.toString());

    var twoTargets =
        api()
            .post(
                "/api/events/list",
                ADMIN,
                Map.of("target_runs", List.of(runId), "target_jobs", List.of(jobId)));
    assertEquals(400, twoTargets.status(), twoTargets.toString());
    assertEquals(
        "At most one target_* filter can be set at a time. Got target_runs, target_jobs",
        twoTargets.errorMessage());
  }

  @Test
  void aNewProjectHasItsLocalFleetItsSecretsAndItselfInItsEvents() {
    var project = newProject("fleet");
    var projectId = projectId(project);
    var fleet =
        api().post("/api/project/" + project + "/fleets/list", ADMIN, Map.of()).json().path(0);
    var fleetId = fleet.path("id").asString();
    var instanceId = fleet.path("instances").path(0).path("id").asString();
    var secrets = "/api/project/" + project + "/secrets/";
    assertEquals(
        200,
        api()
            .post(secrets + "create_or_update", ADMIN, Map.of("name", "tok", "value", "1"))
            .status());
    assertEquals(
        200,
        api()
            .post(secrets + "create_or_update", ADMIN, Map.of("name", "tok", "value", "2"))
            .status());
    assertEquals(
        200,
        api().post(secrets + "delete", ADMIN, Map.of("secrets_names", List.of("tok"))).status());

    var inProject = events(ADMIN, Map.of("within_projects", List.of(projectId), "ascending", true));

    assertEquals(
        List.of(
            "Project created",
            "Fleet created. Status: ACTIVE",
            "Instance created on fleet submission. Status: IDLE",
            "Secret created",
            "Secret updated",
            "Secret deleted"),
        messages(inProject));
    assertEquals("admin", inProject.path(0).path("actor_user").asString());
    assertEquals(projectId, inProject.path(0).path("targets").path(0).path("id").asString());
    var fleetEvents = events(ADMIN, Map.of("within_fleets", List.of(fleetId), "ascending", true));
    assertEquals(
        List.of(fleetId, instanceId),
        List.of(
            fleetEvents.path(0).path("targets").path(0).path("id").asString(),
            fleetEvents.path(1).path("targets").path(0).path("id").asString()));
    assertEquals(2, fleetEvents.size(), fleetEvents.toString());
  }

  @Test
  void someoneOutsideAProjectSeesNothingOfIt() {
    var project = newProject("private");
    var projectId = projectId(project);
    var outsider = createUser(unique("outsider"), "user");

    var asked = events(outsider, Map.of("within_projects", List.of(projectId)));
    var all = events(outsider, Map.of());

    assertEquals(0, asked.size(), asked.toString());
    all.forEach(
        e ->
            e.path("targets")
                .forEach(
                    t ->
                        assertFalse(
                            projectId.equals(t.path("project_id").asString()), e.toString())));
    assertTrue(events(ADMIN, Map.of("within_projects", List.of(projectId))).size() > 0);
  }

  private String createdUserId(String token) {
    return api().post("/api/users/get_my_user", token, null).json().path("id").asString();
  }
}
