package ai.dstack.orchestrator.gpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.orchestrator.testing.DstackClient;
import ai.dstack.orchestrator.testing.OnLocalFleet;
import ai.dstack.orchestrator.testing.ServerTest;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gpus/list} on the local fleet: the offers {@code runs/get_plan} shows, grouped; CPU groups
 * when the spec allows no GPU; dstack's refusal of {@code region} without {@code backend}.
 */
@OnLocalFleet
class GpusApiTest extends ServerTest {
  @TempDir Path home;

  /** What {@code dstack offer --group-by} sends: a task that only asks for resources. */
  private static Map<String, Object> runSpec(Object gpu) {
    var resources = new HashMap<String, Object>();
    resources.put("cpu", Map.of("count", Map.of("min", 1)));
    resources.put("memory", Map.of("min", 0.0));
    resources.put("gpu", gpu);
    resources.put("disk", null);
    var configuration = new HashMap<String, Object>();
    configuration.put("type", "task");
    configuration.put("commands", List.of(":"));
    configuration.put("image", "scratch");
    configuration.put("user", "root");
    configuration.put("resources", resources);
    var spec = new HashMap<String, Object>();
    spec.put("configuration", configuration);
    spec.put("run_name", null);
    spec.put("repo_id", null);
    spec.put("repo_data", null);
    return spec;
  }

  /** The spec with a key, as the client sends it to {@code get_plan}. */
  private static Map<String, Object> withKey(Map<String, Object> spec) {
    spec.put("ssh_key_pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOffersOnlyTestKey test");
    return spec;
  }

  private static Map<String, Object> request(Object gpu, List<String> groupBy) {
    var request = new HashMap<String, Object>();
    request.put("run_spec", runSpec(gpu));
    request.put("group_by", groupBy);
    request.put("full_offers", false);
    request.put("unallocated_resources", false);
    return request;
  }

  @Test
  void withNoGpuAllowedTheLocalOffersAreGroupedByCpu() {
    var project = "main";
    var plan =
        api()
            .post(
                "/api/project/" + project + "/runs/get_plan",
                ADMIN,
                Map.of("run_spec", withKey(runSpec(Map.of("count", Map.of("max", 0))))));
    assertEquals(200, plan.status(), plan.toString());
    var offers = plan.json().path("job_plans").path(0).path("offers");

    var listed =
        api()
            .post(
                "/api/project/" + project + "/gpus/list",
                ADMIN,
                request(Map.of("count", Map.of("max", 0)), List.of("backend")));

    assertEquals(200, listed.status(), listed.toString());
    var body = listed.json();
    assertEquals(0, body.path("gpus").size(), body.toString());
    var cpus = body.path("cpus");
    assertEquals(1, cpus.size(), body.toString());
    var group = cpus.path(0);
    assertEquals(offers.path(0).path("backend").asString(), group.path("backend").asString());
    assertFalse(group.has("backends"), group.toString());
    assertTrue(group.path("count").path("min").asInt() >= 1, group.toString());
    assertEquals(
        offers.path(0).path("instance").path("resources").path("cpus").asInt(),
        group.path("count").path("min").asInt(),
        group.toString());
    assertTrue(group.path("price").has("max"), group.toString());
  }

  @Test
  void withGpusAllowedTheAnswerHasNoCpuGroups() {
    var listed =
        api()
            .post(
                "/api/project/main/gpus/list",
                ADMIN,
                request(Map.of("count", Map.of("min", 0)), null));

    assertEquals(200, listed.status(), listed.toString());
    assertTrue(listed.json().path("gpus").isArray(), listed.toString());
    assertFalse(listed.json().has("cpus"), listed.toString());
  }

  @Test
  void dstacksOwnOfferGroupByReadsTheAnswer() {
    var added =
        DstackClient.cli(
            home,
            "project",
            "add",
            "--name",
            "main",
            "--url",
            "http://127.0.0.1:" + port,
            "--token",
            ADMIN,
            "-y");
    assertEquals(0, added.exitCode(), added.output());

    var gpus = DstackClient.cli(home, "offer", "--group-by", "gpu", "--project", "main");
    var cpus =
        DstackClient.cli(
            home, "offer", "--group-by", "gpu,backend", "--gpu", "0", "--project", "main");

    // It validates the answer (a traceback otherwise); its table shows the GPU groups only.
    assertEquals(0, gpus.exitCode(), gpus.output());
    assertTrue(gpus.output().contains("Group by     gpu"), gpus.output());
    assertEquals(0, cpus.exitCode(), cpus.output());
    assertTrue(cpus.output().contains("gpu, backend"), cpus.output());
  }

  @Test
  void regionWithoutBackendIsRefused() {
    var listed =
        api()
            .post(
                "/api/project/main/gpus/list",
                ADMIN,
                request(Map.of("count", Map.of("min", 0)), List.of("region")));

    assertEquals(400, listed.status(), listed.toString());
    assertEquals(
        "Cannot group by 'region' without also grouping by 'backend'", listed.errorMessage());
  }
}
