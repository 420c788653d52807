package ai.dstack.orchestrator.fleets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.activities.offers.FleetInstancesSource;
import ai.dstack.orchestrator.testing.Api;
import ai.dstack.orchestrator.testing.DstackClient;
import ai.dstack.orchestrator.testing.OnLocalFleet;
import ai.dstack.orchestrator.testing.Processes;
import ai.dstack.orchestrator.testing.ServerTest;
import ai.dstack.workflows.projections.FleetRecord;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The local fleet in a running server: this host as fleet {@code local} of every project, its
 * workflow, and the fleet-side API (fleets, instances, volumes, gateways) as dstack 0.22.5's client
 * reads it.
 */
@OnLocalFleet
class LocalFleetApiTest extends ServerTest {

  @Autowired LocalFleet localFleet;
  @Autowired FleetRecords records;
  @Autowired FleetInstancesSource instancesSource;
  @Autowired WorkflowClient client;

  private JsonNode fleets(String token, String project) {
    Api.Response listed =
        api()
            .post(
                "/api/project/" + project + "/fleets/list",
                token,
                Map.of("include_imported", true));
    assertEquals(200, listed.status(), listed.toString());
    return listed.json();
  }

  @Test
  void everyProjectListsThisHostAsItsFleetLocal() {
    var instance = localFleet.instance().orElseThrow();
    String other = unique("proj");
    createProject(ADMIN, other);

    JsonNode main = fleets(ADMIN, "main");
    JsonNode theOther = fleets(ADMIN, other);

    assertEquals(1, main.size(), main.toString());
    JsonNode fleet = main.path(0);
    assertEquals("local", fleet.path("name").asString());
    assertEquals("main", fleet.path("project_name").asString());
    assertEquals("active", fleet.path("status").asString());
    assertEquals(4, UUID.fromString(fleet.path("id").asString()).version());
    assertTrue(fleet.path("created_at").asString().endsWith("+00:00"), fleet.toString());
    JsonNode node = fleet.path("instances").path(0);
    assertEquals("local-0", node.path("name").asString());
    assertEquals(0, node.path("instance_num").asInt());
    assertEquals("remote", node.path("backend").asString());
    // idle unless another test's job holds blocks of this shared server's host
    int busy = node.path("busy_blocks").asInt();
    assertEquals(busy > 0 ? "busy" : "idle", node.path("status").asString());
    assertEquals("healthy", node.path("health_status").asString());
    assertFalse(node.path("unreachable").asBoolean());
    assertEquals(0.0, node.path("price").asDouble());
    assertEquals(fleet.path("id").asString(), node.path("fleet_id").asString());
    JsonNode resources = node.path("instance_type").path("resources");
    assertEquals(Runtime.getRuntime().availableProcessors(), resources.path("cpus").asInt());
    assertEquals(instance.resources().memoryMib(), resources.path("memory_mib").asLong());
    assertTrue(resources.path("memory_mib").asLong() > 0);
    assertEquals(instance.resources().diskMib(), resources.path("disk").path("size_mib").asLong());
    assertEquals(instance.resources().gpus().size(), resources.path("gpus").size());
    // blocks: auto, as dstack splits a host: one block per GPU, or per CPU without GPUs
    int expectedBlocks =
        instance.resources().gpus().isEmpty()
            ? instance.resources().cpus()
            : Math.min(instance.resources().cpus(), instance.resources().gpus().size());
    assertEquals(expectedBlocks, node.path("total_blocks").asInt());
    assertTrue(busy >= 0 && busy <= expectedBlocks, node.toString());

    assertEquals(1, theOther.size());
    assertEquals(other, theOther.path(0).path("project_name").asString());
    assertEquals(other, theOther.path(0).path("instances").path(0).path("project_name").asString());
    assertNotEquals(fleet.path("id").asString(), theOther.path(0).path("id").asString());
    assertEquals(
        fleet.path("created_at").asString(), theOther.path(0).path("created_at").asString());
  }

  @Test
  void itsOneWorkflowRunsWithTheShimAsItsInstance() {
    var started = localFleet.started().orElseThrow();
    var description = client.newUntypedWorkflowStub(LocalFleet.WORKFLOW_ID).describe();

    var view = localFleet.view();

    assertEquals(
        WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, description.getStatus());
    assertEquals("fleet/*/local", LocalFleet.WORKFLOW_ID);
    assertEquals(1, view.instances().size());
    var instance = view.instances().getFirst().instance();
    assertEquals(started.instanceId().toString(), instance.instanceId());
    assertEquals(started.shim().port(), instance.shimPort());
    assertEquals("127.0.0.1", instance.hostname());
    assertEquals(localFleet.instance().orElseThrow(), instance);
    assertTrue(ProcessHandle.of(started.shim().pid()).map(ProcessHandle::isAlive).orElse(false));
  }

  @Test
  void aShimThatDiedIsRestartedAndTheWorkflowLearnsItsNewPort() throws Exception {
    var before = localFleet.started().orElseThrow().shim();
    var dead = ProcessHandle.of(before.pid()).orElseThrow();
    dead.destroyForcibly();
    dead.onExit().get();
    // Taking its port makes the restarted shim listen on another one.
    try (var taken = new ServerSocket(before.port(), 1, InetAddress.getByName(before.host()))) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (localFleet.view().instances().getFirst().instance().shimPort() == before.port()) {
        assertTrue(System.nanoTime() < deadline, "the workflow never learnt the new port");
        Thread.sleep(100);
      }
    }

    var after = localFleet.started().orElseThrow().shim();
    var instance = localFleet.view().instances().getFirst().instance();
    assertNotEquals(before.pid(), after.pid());
    assertEquals(after.port(), instance.shimPort());
    assertEquals(localFleet.instance().orElseThrow(), instance);
    JsonNode node = fleets(ADMIN, "main").path(0).path("instances").path(0);
    assertFalse(node.path("unreachable").asBoolean(), node.toString());
  }

  @Test
  void offerMatchingSeesTheInstanceInEveryProject() {
    var instance = localFleet.instance().orElseThrow();

    assertEquals(List.of(instance), instancesSource.instances("main", "local"));
    assertEquals(List.of(instance), instancesSource.instances(unique("any"), "local"));
    assertEquals(List.of(), instancesSource.instances("main", "other"));
  }

  @Test
  void busyBlocksComeFromWhatTheFleetWorkflowRecorded() {
    var instance = localFleet.instance().orElseThrow();
    try {
      records.record(
          new FleetRecord(
              LocalFleet.WORKFLOW_PROJECT,
              LocalFleet.NAME,
              1_000,
              List.of(
                  new FleetRecord.InstanceUsage(
                      instance.instanceId(), instance.instanceName(), 1, instance.totalBlocks())),
              2));

      JsonNode node = fleets(ADMIN, "main").path(0).path("instances").path(0);

      assertEquals("busy", node.path("status").asString());
      assertEquals(1, node.path("busy_blocks").asInt());
    } finally {
      // the workflow's own records start over
      records.forget(LocalFleet.WORKFLOW_PROJECT, LocalFleet.NAME);
    }
  }

  @Test
  void getFindsItByNameAndByIdAndNothingElse() {
    JsonNode listed = fleets(ADMIN, "main").path(0);
    String id = listed.path("id").asString();

    Api.Response byName =
        api().post("/api/project/main/fleets/get", ADMIN, json("name", "local", "id", null));
    Api.Response byId =
        api().post("/api/project/main/fleets/get", ADMIN, json("name", null, "id", id));
    Api.Response unknown =
        api().post("/api/project/main/fleets/get", ADMIN, json("name", "nope", "id", null));
    Api.Response unknownId =
        api()
            .post(
                "/api/project/main/fleets/get",
                ADMIN,
                json("name", null, "id", UUID.randomUUID().toString()));
    Api.Response neither =
        api().post("/api/project/main/fleets/get", ADMIN, json("name", null, "id", null));

    assertEquals(200, byName.status(), byName.toString());
    assertEquals(id, byName.json().path("id").asString());
    assertEquals(listed, byId.json());
    assertEquals("resource_not_exists", unknown.errorCode(), unknown.toString());
    assertEquals("resource_not_exists", unknownId.errorCode(), unknownId.toString());
    assertEquals("error", neither.errorCode(), neither.toString());
  }

  @Test
  void theLocalFleetCannotBeDeletedAndSaysHowToTurnItOff() {
    Api.Response deleted =
        api().post("/api/project/main/fleets/delete", ADMIN, Map.of("names", List.of("local")));
    Api.Response instances =
        api()
            .post(
                "/api/project/main/fleets/delete_instances",
                ADMIN,
                Map.of("name", "local", "instance_nums", List.of(0)));
    Api.Response unknown =
        api().post("/api/project/main/fleets/delete", ADMIN, Map.of("names", List.of("nope")));

    assertEquals(400, deleted.status());
    assertEquals("error", deleted.errorCode());
    assertTrue(deleted.errorMessage().contains("DSTACK_LOCAL_FLEET=false"), deleted.toString());
    assertEquals("error", instances.errorCode());
    assertTrue(instances.errorMessage().contains("DSTACK_LOCAL_FLEET=false"), instances.toString());
    assertEquals(200, unknown.status(), unknown.toString());
    assertEquals(1, fleets(ADMIN, "main").size());
  }

  @Test
  void sshAndCloudFleetsAreNotSupportedYet() {
    Map<String, Object> ssh =
        Map.of(
            "configuration",
            Map.of("type", "fleet", "name", "mine", "ssh_config", Map.of("hosts", List.of("h"))),
            "profile",
            Map.of());
    Map<String, Object> cloud =
        Map.of(
            "configuration",
            Map.of("type", "fleet", "name", "gpus", "nodes", Map.of("min", 1)),
            "profile",
            Map.of());
    Map<String, Object> local =
        Map.of("configuration", Map.of("type", "fleet", "name", "local"), "profile", Map.of());

    Api.Response sshPlan =
        api().post("/api/project/main/fleets/get_plan", ADMIN, Map.of("spec", ssh));
    Api.Response sshApply =
        api()
            .post(
                "/api/project/main/fleets/apply",
                ADMIN,
                Map.of("plan", Map.of("spec", ssh), "force", false));
    Api.Response cloudPlan =
        api().post("/api/project/main/fleets/get_plan", ADMIN, Map.of("spec", cloud));
    Api.Response localPlan =
        api().post("/api/project/main/fleets/get_plan", ADMIN, Map.of("spec", local));

    for (var answer : List.of(sshPlan, sshApply, cloudPlan, localPlan)) {
      assertEquals(400, answer.status(), answer.toString());
      assertEquals("error", answer.errorCode(), answer.toString());
      assertEquals(1, answer.json().path("detail").size());
      assertEquals(
          List.of("code", "msg"),
          iterable(answer.json().path("detail").path(0).propertyNames()),
          answer.toString());
    }
    assertTrue(sshPlan.errorMessage().startsWith("SSH fleets are not supported yet"));
    assertTrue(sshApply.errorMessage().startsWith("SSH fleets are not supported yet"));
    assertTrue(cloudPlan.errorMessage().startsWith("Cloud fleets are not supported yet"));
    assertTrue(localPlan.errorMessage().contains("DSTACK_LOCAL_FLEET=false"), localPlan.toString());
  }

  @Test
  void onlyMembersSeeAProjectsFleets() {
    String outsider = createUser(unique("outsider"), "user");
    String member = unique("member");
    String memberToken = createUser(member, "user");
    String project = unique("proj");
    createProject(ADMIN, project);
    setMembers(ADMIN, project, ordered("admin", "admin", member, "user"));

    Api.Response forbidden =
        api().post("/api/project/" + project + "/fleets/list", outsider, Map.of());
    Api.Response forbiddenGet =
        api()
            .post(
                "/api/project/" + project + "/fleets/get",
                outsider,
                json("name", "local", "id", null));
    Api.Response unknownProject =
        api().post("/api/project/" + unique("nope") + "/fleets/list", ADMIN, Map.of());
    Api.Response noToken = api().post("/api/project/main/fleets/list", null, Map.of());

    assertEquals(403, forbidden.status(), forbidden.toString());
    assertEquals(403, forbiddenGet.status(), forbiddenGet.toString());
    assertEquals(404, unknownProject.status(), unknownProject.toString());
    assertEquals(401, noToken.status(), noToken.toString());
    assertEquals(1, fleets(memberToken, project).size());
    // the global list shows only the caller's projects
    Api.Response outsiders = api().post("/api/fleets/list", outsider, Map.of());
    assertEquals(200, outsiders.status(), outsiders.toString());
    assertEquals(0, outsiders.json().size());
    Api.Response members = api().post("/api/fleets/list", memberToken, Map.of());
    assertEquals(1, members.json().size());
    assertEquals(project, members.json().path(0).path("project_name").asString());
  }

  @Test
  void theGlobalListsPageThroughEveryProjectsView() {
    String project = unique("proj");
    createProject(ADMIN, project);

    Api.Response all = api().post("/api/fleets/list", ADMIN, Map.of());
    Api.Response one =
        api().post("/api/fleets/list", ADMIN, Map.of("project_name", project, "limit", 10));
    List<String> paged = new ArrayList<>();
    Map<String, Object> page = new java.util.HashMap<>(Map.of("limit", 1));
    while (true) {
      JsonNode answer = api().post("/api/fleets/list", ADMIN, page).json();
      if (answer.isEmpty()) {
        break;
      }
      assertEquals(1, answer.size());
      paged.add(answer.path(0).path("id").asString());
      page.put("prev_created_at", answer.path(0).path("created_at").asString());
      page.put("prev_id", answer.path(0).path("id").asString());
    }
    Api.Response instances = api().post("/api/instances/list", ADMIN, Map.of());
    Api.Response instancesOfOne =
        api().post("/api/instances/list", ADMIN, Map.of("project_names", List.of(project)));

    assertEquals(200, all.status(), all.toString());
    assertTrue(all.json().size() >= 2);
    assertEquals(1, one.json().size());
    assertEquals(project, one.json().path(0).path("project_name").asString());
    assertEquals(all.json().size(), paged.size());
    assertEquals(paged.size(), new HashSet<>(paged).size(), "no fleet twice");
    assertEquals(all.json().size(), instances.json().size());
    assertEquals(1, instancesOfOne.json().size());
    String instanceId = instancesOfOne.json().path(0).path("id").asString();
    Api.Response got =
        api().post("/api/project/" + project + "/instances/get", ADMIN, Map.of("id", instanceId));
    assertEquals(200, got.status(), got.toString());
    assertEquals("local-0", got.json().path("name").asString());
    Api.Response missing =
        api()
            .post(
                "/api/project/" + project + "/instances/get",
                ADMIN,
                Map.of("id", UUID.randomUUID().toString()));
    assertEquals("resource_not_exists", missing.errorCode());
  }

  @Test
  void volumesAndGatewaysAreEmptyAndCannotBeCreatedYet() {
    Api.Response volumes = api().post("/api/project/main/volumes/list", ADMIN, null);
    Api.Response allVolumes = api().post("/api/volumes/list", ADMIN, Map.of());
    Api.Response volume = api().post("/api/project/main/volumes/get", ADMIN, Map.of("name", "v"));
    Api.Response newVolume =
        api()
            .post(
                "/api/project/main/volumes/create",
                ADMIN,
                Map.of("configuration", Map.of("type", "volume", "backend", "aws")));
    Api.Response gateways =
        api().post("/api/project/main/gateways/list", ADMIN, Map.of("include_imported", true));
    Api.Response gateway = api().post("/api/project/main/gateways/get", ADMIN, Map.of("name", "g"));
    Api.Response newGateway =
        api().post("/api/project/main/gateways/get_plan", ADMIN, Map.of("spec", Map.of()));
    Api.Response deleted =
        api().post("/api/project/main/volumes/delete", ADMIN, Map.of("names", List.of("v")));
    Api.Response types = api().post("/api/backends/list_types", null, null);

    assertEquals("[]", volumes.text());
    assertEquals("[]", allVolumes.text());
    assertEquals("[]", gateways.text());
    assertEquals("resource_not_exists", volume.errorCode());
    assertEquals("resource_not_exists", gateway.errorCode());
    assertEquals("error", newVolume.errorCode());
    assertTrue(newVolume.errorMessage().startsWith("Volumes are not supported yet"));
    assertEquals("error", newGateway.errorCode());
    assertTrue(newGateway.errorMessage().startsWith("Gateways are not supported yet"));
    assertEquals(200, deleted.status(), deleted.toString());
    assertEquals("[]", types.text());
  }

  @Test
  void theRealClientsModelsReadEveryAnswer() throws URISyntaxException {
    Path script = Path.of(getClass().getResource("dstack_fleets_flows.py").toURI());

    Processes.Result result =
        DstackClient.python(script, "http://127.0.0.1:" + port, ADMIN, unique("f"));

    assertEquals(0, result.exitCode(), result.output());
    assertTrue(result.output().strip().endsWith("OK"), result.output());
  }

  private static Map<String, Object> json(String k1, Object v1, String k2, Object v2) {
    var map = new java.util.LinkedHashMap<String, Object>();
    map.put(k1, v1);
    map.put(k2, v2);
    return map;
  }

  private static List<String> iterable(java.util.Collection<String> names) {
    return List.copyOf(names);
  }
}
