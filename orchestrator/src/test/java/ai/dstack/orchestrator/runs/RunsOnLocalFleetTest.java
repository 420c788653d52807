package ai.dstack.orchestrator.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.orchestrator.testing.DstackClient;
import ai.dstack.orchestrator.testing.OnLocalFleet;
import ai.dstack.orchestrator.testing.Processes;
import ai.dstack.orchestrator.testing.RunRequests;
import ai.dstack.orchestrator.testing.ServerTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Runs on the local fleet (the shim running jobs as processes), driven by the real dstack 0.22.5
 * CLI: apply, ps, logs, stop, stop -x and delete, with the run's status and logs checked through
 * the API.
 */
@OnLocalFleet
class RunsOnLocalFleetTest extends ServerTest {
  private static final Set<String> FINISHED = RunRequests.FINISHED;

  @TempDir Path home;

  @Test
  void aTaskRunsToDoneAndItsLogsAreCompleteAndInOrder() throws IOException {
    var project = projectWithCli("logs");
    task(
        "echo.dstack.yml",
        "echoes",
        "for i in $(seq 1 300); do echo \"line $i héllo ✓ 日本\"; done",
        "printf 'x%.0s' $(seq 1 20000); echo",
        "echo last line");

    var applied = dstack("apply", "-f", "echo.dstack.yml", "-d", "-y", "--project", project);
    assertEquals(0, applied.exitCode(), applied.output());
    assertTrue(applied.output().contains("echoes"), applied.output());

    var run = awaitRun(project, "echoes", r -> FINISHED.contains(r.path("status").asText()));
    assertEquals("done", run.path("status").asText(), run.toString());
    var latest = run.path("latest_job_submission");
    assertEquals("done", latest.path("status").asText(), latest.toString());
    assertEquals(0, latest.path("exit_status").asInt(), latest.toString());

    var logs = dstack("logs", "echoes", "--project", project);
    assertEquals(0, logs.exitCode(), logs.output());
    var expected = new ArrayList<String>();
    for (int i = 1; i <= 300; i++) {
      expected.add("line " + i + " héllo ✓ 日本");
    }
    expected.add("x".repeat(20000));
    expected.add("last line");
    var printed =
        logs.output()
            .lines()
            .filter(l -> l.startsWith("line ") || l.startsWith("xxx") || l.equals("last line"))
            .toList();
    assertEquals(expected, printed);
    // -d: the runner's own log (dstack's "diagnose"), not the job's output.
    var diagnose = dstack("logs", "echoes", "-d", "--project", project);
    assertEquals(0, diagnose.exitCode(), diagnose.output());
    assertFalse(diagnose.output().contains("Traceback"), diagnose.output());
    assertFalse(diagnose.output().contains("last line"), diagnose.output());

    var withoutJobs =
        api()
            .post(
                "/api/project/" + project + "/runs/list",
                ADMIN,
                Map.of("include_jobs", false, "only_active", false));
    assertEquals(0, withoutJobs.json().path(0).path("jobs").size(), withoutJobs.toString());
    assertEquals("done", withoutJobs.json().path(0).path("status").asText());

    var ps = dstack("ps", "-a", "--project", project);
    assertEquals(0, ps.exitCode(), ps.output());
    assertTrue(ps.output().contains("echoes"), ps.output());
    assertTrue(ps.output().contains("exited (0)"), ps.output());
  }

  @Test
  void theSubmissionApplyAnswersWithIsTheOneThatRuns() throws IOException {
    var project = projectWithCli("ids");
    var runs = new RunRequests(api(), ADMIN);

    var applied = runs.apply(project, "same-id", List.of("echo hi"));
    var id = applied.path("latest_job_submission").path("id").asText();
    var done = runs.awaitFinished(project, "same-id", Duration.ofMinutes(2));

    assertEquals("done", done.path("status").asText(), done.toString());
    assertEquals(id, done.path("latest_job_submission").path("id").asText(), done.toString());
    assertEquals(1, done.path("jobs").path(0).path("job_submissions").size());
  }

  @Test
  void aFailingCommandEndsFailedWithItsExitStatus() throws IOException {
    var project = projectWithCli("fails");
    task("fail.dstack.yml", "fails", "echo about to fail", "exit 3");

    assertEquals(
        0, dstack("apply", "-f", "fail.dstack.yml", "-d", "-y", "--project", project).exitCode());
    var run = awaitRun(project, "fails", r -> FINISHED.contains(r.path("status").asText()));
    assertEquals("failed", run.path("status").asText(), run.toString());
    var latest = run.path("latest_job_submission");
    assertEquals("failed", latest.path("status").asText());
    assertEquals("container_exited_with_error", latest.path("termination_reason").asText());
    assertEquals(3, latest.path("exit_status").asInt());
    assertEquals("exited (3)", latest.path("status_message").asText());

    var ps = dstack("ps", "-a", "-v", "--project", project);
    assertEquals(0, ps.exitCode(), ps.output());
    assertTrue(ps.output().contains("exited (3)"), ps.output());
  }

  @Test
  void stopEndsARunningTaskAndAbortEndsItAtOnce() throws IOException {
    var project = projectWithCli("stop");
    task("sleep.dstack.yml", "sleeper", "echo started", "sleep 600");
    task("sleep2.dstack.yml", "aborted", "echo started", "sleep 600");
    assertEquals(
        0, dstack("apply", "-f", "sleep.dstack.yml", "-d", "-y", "--project", project).exitCode());
    assertEquals(
        0, dstack("apply", "-f", "sleep2.dstack.yml", "-d", "-y", "--project", project).exitCode());
    // The sleeper's command has begun: a graceful stop that lands while dstack's `bash -i` still
    // starts is ignored (an interactive shell ignores SIGTERM) until stop_duration, as in dstack.
    new RunRequests(api(), ADMIN)
        .awaitRunningWithLines(project, "sleeper", "started", 1, Duration.ofMinutes(2));
    awaitRun(project, "aborted", r -> r.path("status").asText().equals("running"));

    var stopped = dstack("stop", "sleeper", "-y", "--project", project);
    assertEquals(0, stopped.exitCode(), stopped.output());
    var aborted = dstack("stop", "aborted", "-x", "-y", "--project", project);
    assertEquals(0, aborted.exitCode(), aborted.output());

    var run = awaitRun(project, "sleeper", r -> FINISHED.contains(r.path("status").asText()));
    assertEquals("terminated", run.path("status").asText(), run.toString());
    assertEquals("stopped_by_user", run.path("termination_reason").asText());
    var abortedRun =
        awaitRun(project, "aborted", r -> FINISHED.contains(r.path("status").asText()));
    assertEquals("terminated", abortedRun.path("status").asText(), abortedRun.toString());
    assertEquals("aborted_by_user", abortedRun.path("termination_reason").asText());

    var deleted = dstack("delete", "-f", "sleep.dstack.yml", "-y", "--project", project);
    assertEquals(0, deleted.exitCode(), deleted.output());
    assertTrue(deleted.output().contains("Run sleeper deleted"), deleted.output());
    var gone =
        api().post("/api/project/" + project + "/runs/get", ADMIN, Map.of("run_name", "sleeper"));
    assertEquals(400, gone.status(), gone.toString());
    assertEquals("resource_not_exists", gone.errorCode());
    var ps = dstack("ps", "-a", "--project", project);
    assertFalse(ps.output().contains("sleeper"), ps.output());
  }

  @Test
  void maxDurationEndsATaskThatRunsTooLong() throws IOException {
    var project = projectWithCli("maxdur");
    task("long.dstack.yml", "too-long", List.of("max_duration: 3s"), "echo started", "sleep 600");
    assertEquals(
        0, dstack("apply", "-f", "long.dstack.yml", "-d", "-y", "--project", project).exitCode());
    var run = awaitRun(project, "too-long", r -> FINISHED.contains(r.path("status").asText()));
    // As dstack: the job is terminated for exceeding max_duration, which fails the run.
    assertEquals("failed", run.path("status").asText(), run.toString());
    assertEquals("job_failed", run.path("termination_reason").asText());
    var latest = run.path("latest_job_submission");
    assertEquals("terminated", latest.path("status").asText());
    assertEquals(
        "max_duration_exceeded", latest.path("termination_reason").asText(), run.toString());
  }

  @Test
  void aCommandThatFailsTwiceIsRetriedUntilItSucceeds() throws IOException {
    var project = projectWithCli("retry");
    var counter = home.resolve("attempts");
    task(
        "retry.dstack.yml",
        "flaky",
        List.of("retry:", "  on_events: [error]", "  duration: 10m"),
        "n=$(cat " + counter + " 2>/dev/null || echo 0); echo $((n+1)) > " + counter,
        "echo attempt $((n+1))",
        "test $n -ge 2");
    assertEquals(
        0, dstack("apply", "-f", "retry.dstack.yml", "-d", "-y", "--project", project).exitCode());
    var run = awaitRun(project, "flaky", r -> FINISHED.contains(r.path("status").asText()));
    assertEquals("done", run.path("status").asText(), run.toString());
    assertEquals("3", Files.readString(counter).strip());
    var submissions = run.path("jobs").get(0).path("job_submissions");
    var statuses = new ArrayList<String>();
    submissions.forEach(s -> statuses.add(s.path("status").asText()));
    assertEquals(List.of("failed", "failed", "done"), statuses, run.toString());
  }

  @Test
  void offerListsTheLocalHost() {
    var project = projectWithCli("offer");
    var offer = dstack("offer", "--json", "--project", project);
    assertEquals(0, offer.exitCode(), offer.output());
    var json = offer.output().substring(offer.output().indexOf('{'));
    var parsed = tools.jackson.databind.json.JsonMapper.builder().build().readTree(json);
    var offers = parsed.path("offers");
    assertTrue(offers.size() >= 1, offer.output());
    assertEquals("remote", offers.get(0).path("backend").asText(), offer.output());
    var table = dstack("offer", "--project", project);
    assertEquals(0, table.exitCode(), table.output());
    assertTrue(table.output().contains("local"), table.output());
  }

  @Test
  void anUnknownRunIsTheClientsNotFound() throws IOException {
    var project = projectWithCli("unknown");
    var logs = dstack("logs", "no-such-run", "--project", project);
    assertEquals(1, logs.exitCode(), logs.output());
    assertTrue(logs.output().contains("Run no-such-run not found"), logs.output());
    var stop = api().post("/api/project/" + project + "/runs/get", ADMIN, Map.of("run_name", "x"));
    assertEquals("resource_not_exists", stop.errorCode());
  }

  @Test
  void anInvalidConfigurationIsA400NamingTheField() {
    var project = unique("bad");
    assertEquals(200, createProject(ADMIN, project).status());
    var spec =
        Map.of(
            "run_spec",
            Map.of(
                "configuration",
                Map.of("type", "task", "commands", List.of("true"), "max_duration", "soon"),
                "configuration_path",
                "bad.dstack.yml",
                "repo_id",
                "none",
                "repo_data",
                Map.of("repo_type", "virtual")));
    var planned = api().post("/api/project/" + project + "/runs/get_plan", ADMIN, spec);
    assertEquals(400, planned.status(), planned.toString());
    assertTrue(planned.errorMessage().contains("max_duration"), planned.toString());
    // dstack's ServerClientError fields: the path of each field at fault.
    var detail = planned.json().path("detail");
    assertEquals(1, detail.size(), planned.toString());
    assertEquals(
        "[[\"max_duration\"]]", detail.get(0).path("fields").toString(), planned.toString());
    var listed = api().post("/api/project/" + project + "/runs/list", ADMIN, Map.of());
    assertEquals(0, listed.json().size(), "nothing created");

    var badId = api().post("/api/project/" + project + "/runs/get", ADMIN, Map.of("id", "nope"));
    assertEquals(400, badId.status(), badId.toString());
    assertEquals("id must be a UUID, got nope", badId.errorMessage());
    var badPage =
        api()
            .post(
                "/api/project/" + project + "/runs/list",
                ADMIN,
                Map.of("prev_submitted_at", "yesterday"));
    assertEquals(400, badPage.status(), badPage.toString());
    var notJson = api().post("/api/project/" + project + "/runs/get_plan", ADMIN, "{not json");
    // FastAPI's answer to a body that is not JSON, which dstack's server leaves as it is
    assertEquals(422, notJson.status(), notJson.toString());
    assertEquals(
        "json_invalid",
        notJson.json().path("detail").path(0).path("type").asString(),
        notJson.toString());
  }

  private String projectWithCli(String prefix) {
    var project = unique(prefix);
    assertEquals(200, createProject(ADMIN, project).status());
    var added =
        dstack(
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
    return project;
  }

  private void task(String file, String name, String... commands) throws IOException {
    task(file, name, List.of(), commands);
  }

  private void task(String file, String name, List<String> extra, String... commands)
      throws IOException {
    // One block of the host (it has one per CPU), so the tests' runs do not queue behind each
    // other.
    var yaml =
        new StringBuilder("type: task\nname: ")
            .append(name)
            .append("\nresources:\n  cpu: 1\n  memory: 1GB..\n  disk: 1GB..\n");
    for (var line : extra) {
      yaml.append(line).append('\n');
    }
    yaml.append("commands:\n");
    for (var command : commands) {
      yaml.append("  - ").append(yamlQuoted(command)).append('\n');
    }
    Files.writeString(home.resolve(file), yaml);
  }

  private static String yamlQuoted(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  private JsonNode awaitRun(String project, String name, Predicate<JsonNode> condition) {
    return new RunRequests(api(), ADMIN).await(project, name, condition, Duration.ofMinutes(2));
  }

  private Processes.Result dstack(String... arguments) {
    return DstackClient.cli(home, arguments);
  }
}
