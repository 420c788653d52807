package ai.dstack.orchestrator.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/** Runs through the API as the dstack client drives it: plan, apply, poll, logs. */
public final class RunRequests {
  private final Api api;
  private final String token;

  /** Runs through {@code api}, as the user of {@code token}. */
  public RunRequests(Api api, String token) {
    this.api = api;
    this.token = token;
  }

  /** The statuses a run ends in. */
  public static final Set<String> FINISHED = Set.of("done", "failed", "terminated");

  /** Plans and applies a task of one block of the host running {@code commands}. */
  public JsonNode apply(String project, String name, List<String> commands) {
    return apply(project, name, commands, Map.of());
  }

  /**
   * Plans and applies a task of one block of the host running {@code commands}, with more fields of
   * its configuration (e.g. {@code priority}).
   */
  public JsonNode apply(
      String project, String name, List<String> commands, Map<String, Object> more) {
    var configuration = new HashMap<String, Object>();
    configuration.put("type", "task");
    configuration.put("name", name);
    configuration.put("commands", commands);
    configuration.put("resources", Map.of("cpu", 1, "memory", "1GB..", "disk", "1GB.."));
    configuration.putAll(more);
    var spec =
        Map.of(
            "run_name",
            name,
            "configuration",
            configuration,
            "configuration_path",
            name + ".dstack.yml",
            "repo_id",
            "none",
            "repo_data",
            Map.of("repo_type", "virtual"));
    var plan =
        api.post("/api/project/" + project + "/runs/get_plan", token, Map.of("run_spec", spec));
    assertEquals(200, plan.status(), plan.toString());
    var applied =
        api.post(
            "/api/project/" + project + "/runs/apply",
            token,
            Map.of("plan", Map.of("run_spec", plan.json().path("run_spec")), "force", false));
    assertEquals(200, applied.status(), applied.toString());
    return applied.json();
  }

  /** The project's runs as {@code runs/list} gives them, newest first, 100 at most. */
  public JsonNode list(String project, boolean onlyActive) {
    var listed =
        api.post(
            "/api/project/" + project + "/runs/list",
            token,
            Map.of("only_active", onlyActive, "limit", 100));
    assertEquals(200, listed.status(), listed.toString());
    return listed.json();
  }

  /** Polls {@code runs/get} until the run has finished. */
  public JsonNode awaitFinished(String project, String name, Duration timeout) {
    return await(project, name, r -> FINISHED.contains(r.path("status").asText()), timeout);
  }

  /**
   * Polls until the run's latest job runs and has logged at least {@code lines} lines that start
   * with {@code prefix}; returns the run.
   */
  public JsonNode awaitRunningWithLines(
      String project, String name, String prefix, int lines, Duration timeout) {
    return await(
        project,
        name,
        run ->
            run.path("latest_job_submission").path("status").asText().equals("running")
                && logs(project, run).lines().filter(l -> l.startsWith(prefix)).count() >= lines,
        timeout);
  }

  /** Polls {@code runs/get} until the run meets {@code condition}. */
  public JsonNode await(
      String project, String name, Predicate<JsonNode> condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Api.Response last = null;
    while (System.nanoTime() < deadline) {
      last = api.post("/api/project/" + project + "/runs/get", token, Map.of("run_name", name));
      if (last.status() == 200 && condition.test(last.json())) {
        return last.json();
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return fail("run " + name + " did not get there in " + timeout + "; last: " + last);
  }

  /** The whole job log of the run's latest submission, page by page, decoded. */
  public String logs(String project, JsonNode run) {
    var bytes = new ByteArrayOutputStream();
    String nextToken = null;
    do {
      var body = new HashMap<String, Object>();
      body.put("run_name", run.path("run_spec").path("run_name").asText());
      body.put("job_submission_id", run.path("latest_job_submission").path("id").asText());
      body.put("limit", 100);
      body.put("next_token", nextToken);
      var page = api.post("/api/project/" + project + "/logs/poll", token, body);
      assertEquals(200, page.status(), page.toString());
      for (var event : page.json().path("logs")) {
        bytes.writeBytes(Base64.getDecoder().decode(event.path("message").asText()));
      }
      var next = page.json().path("next_token");
      nextToken = next.isNull() || next.isMissingNode() ? null : next.asText();
    } while (nextToken != null);
    return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
  }
}
