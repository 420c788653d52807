package ai.dstack.orchestrator.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.orchestrator.testing.DockerEngine;
import ai.dstack.orchestrator.testing.OnLocalDockerFleet;
import ai.dstack.orchestrator.testing.RunRequests;
import ai.dstack.orchestrator.testing.ServerTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A task on the local fleet in docker mode: the job runs in a container of the local base image,
 * its logs come back complete, and a failing command ends the run failed with its exit status.
 */
@OnLocalDockerFleet
class RunsInDockerTest extends ServerTest {

  private RunRequests runs() {
    return new RunRequests(api(), ADMIN);
  }

  @BeforeAll
  static void docker() {
    DockerEngine.assume();
  }

  @Test
  void aTaskRunsInAContainerWithCompleteLogs() {
    var project = unique("docker");
    assertEquals(200, createProject(ADMIN, project).status());
    var lines = "for i in $(seq 1 200); do echo \"line $i héllo\"; done; cat /etc/debian_version";
    var run = runs().apply(project, "in-docker", List.of(lines));
    assertEquals("in-docker", run.path("run_spec").path("run_name").asText(), run.toString());

    var done = runs().awaitFinished(project, "in-docker", Duration.ofMinutes(3));
    assertEquals("done", done.path("status").asText(), done.toString());
    var text = runs().logs(project, done);
    for (int i = 1; i <= 200; i++) {
      assertTrue(text.contains("line " + i + " héllo\n"), "line " + i + " in\n" + text);
    }
    assertTrue(text.indexOf("line 200 héllo") > text.indexOf("line 199 héllo"), text);
    assertTrue(text.strip().matches("(?s).*\\n\\d+(\\.\\d+)?$"), "Debian's version last: " + text);
  }

  @Test
  void aFailingCommandInAContainerEndsFailed() {
    var project = unique("docker-fail");
    assertEquals(200, createProject(ADMIN, project).status());
    runs().apply(project, "fails-in-docker", List.of("exit 7"));
    JsonNode done = runs().awaitFinished(project, "fails-in-docker", Duration.ofMinutes(3));
    assertEquals("failed", done.path("status").asText(), done.toString());
    var latest = done.path("latest_job_submission");
    assertEquals("container_exited_with_error", latest.path("termination_reason").asText());
    assertEquals(7, latest.path("exit_status").asInt());
  }
}
