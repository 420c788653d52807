package ai.dstack.core.runs.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.agents.runner.ClusterInfo;
import ai.dstack.core.agents.runner.RepoExistsAction;
import ai.dstack.core.agents.shim.NetworkMode;
import ai.dstack.core.agents.shim.ShimVolumeInfo;
import ai.dstack.core.agents.shim.TaskSubmitRequest;
import ai.dstack.core.agents.shim.VolumeMountPoint;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AgentRequestsTest {

  static final JobSpecs.Settings SETTINGS = JobSpecs.Settings.of("dstack-base:local");
  static final AgentRequests.SshAccess SSH =
      new AgentRequests.SshAccess(
          "ssh-ed25519 PROJECT project\n", "ssh-ed25519 USER user\n", false);

  static RunSpec spec(String configuration, String name) {
    return RunSpecs.withRunName(
        RunSpecs.withDefaults(
            RunSpecs.parse(Samples.json("{\"configuration\": " + configuration + "}")),
            Samples.USER_KEY),
        name);
  }

  @Test
  void startsTheContainerWithTheWholeHostByDefault() {
    var spec =
        spec(
            """
            {"type": "task", "image": "img", "privileged": true, "commands": ["x"],
             "registry_auth": {"username": "bot", "password": "${{ secrets.TOKEN }}"},
             "resources": {"shm_size": "1GB"},
             "volumes": [{"name": ["data-a", "data-b"], "path": "/data"}, "/mnt/cache:/cache"]}
            """,
            "job");
    var job = JobSpecs.forSubmission(spec, SETTINGS, Map.of("TOKEN", "t0k3n")).getFirst();
    var id = UUID.randomUUID();
    var volume = new ShimVolumeInfo("aws", "data-b", "vol-1", true, null);
    var task =
        AgentRequests.shimTask(
            job,
            id,
            Samples.provisioning("10.0.0.2"),
            null,
            List.of(volume),
            SSH,
            Map.of("TOKEN", "t0k3n"),
            0);
    assertEquals(id.toString(), task.id());
    assertEquals("job-0-0", task.name());
    assertEquals("img", task.imageName());
    assertEquals("bot", task.registryUsername());
    assertEquals("t0k3n", task.registryPassword());
    assertEquals("root", task.containerUser());
    assertTrue(task.privileged());
    assertEquals(TaskSubmitRequest.ALL_GPUS, task.gpu());
    assertEquals(0, task.cpu());
    assertEquals(0, task.memory());
    assertEquals(1L << 30, task.shmSize());
    assertEquals(NetworkMode.HOST, task.networkMode());
    assertEquals(List.of(new VolumeMountPoint("data-b", "/data")), task.volumeMounts());
    assertEquals("/mnt/cache", task.instanceMounts().getFirst().instancePath());
    assertEquals("ubuntu", task.hostSshUser());
    assertEquals(List.of("ssh-ed25519 USER user"), task.hostSshKeys());
    assertEquals(
        List.of("ssh-ed25519 PROJECT project", "ssh-ed25519 USER user"), task.containerSshKeys());
  }

  @Test
  void givesAShareOfTheInstanceItsShareOnABridge() {
    var offer = InstanceOfferWithAvailability.of(Samples.coreOffer(1, 4), "x86");
    var runtime = AgentRequests.jobRuntimeData(offer);
    assertEquals(NetworkMode.BRIDGE, runtime.networkMode());
    var job =
        JobSpecs.forSubmission(
                spec("{\"type\": \"task\", \"commands\": [\"x\"]}", "jj"), SETTINGS, Map.of())
            .getFirst();
    var task =
        AgentRequests.shimTask(
            job,
            UUID.randomUUID(),
            Samples.provisioning(null),
            runtime,
            List.of(),
            new AgentRequests.SshAccess("p", "u", true),
            Map.of(),
            0);
    assertEquals(1, task.gpu());
    assertEquals(16.0, task.cpu());
    assertEquals(64L << 30, task.memory());
    assertEquals("", task.hostSshUser(), "users come through the SSH proxy only");
    assertEquals(List.of("p"), task.containerSshKeys());
    assertEquals(NetworkMode.HOST, AgentRequests.jobRuntimeData(Samples.offer()).networkMode());
  }

  @Test
  void submitsTheJobToTheRunnerWithSecretsAndNodeAddressesFilledIn() {
    var spec =
        spec(
            """
            {"type": "task", "dstack": true, "env": {"TOKEN": "${{ secrets.T }}", "X": "1"},
             "groups": [{"name": "head", "commands": ["serve"]},
                        {"name": "workers", "nodes": 2,
                         "commands": ["join ${{ groups[0].nodes[0].IP_ADDRESS }}"]}],
             "repos": [{"url": "https://example.com/r.git", "path": "/src", "if_exists": "skip"}]}
            """,
            "hetero");
    var jobs = JobSpecs.forSubmission(spec, SETTINGS, Map.of());
    var worker = jobs.get(2);
    var runId = UUID.randomUUID();
    var submissionId = UUID.randomUUID();
    var cluster =
        new ClusterInfo(
            List.of("10.0.0.1", "10.0.0.2", "10.0.0.3"), "10.0.0.1", 0, List.of(0, 0, 0));
    var body =
        AgentRequests.runnerSubmit(
            runId,
            "main",
            spec,
            worker,
            submissionId,
            cluster,
            Map.of("T", "s3cr3t"),
            null,
            Map.of("X", "from-host", "HOST_ONLY", "h"),
            AgentRequests.LOG_QUOTA_PER_JOB_HOUR);
    var runner = body.jobSpec();
    assertEquals(runId.toString(), body.run().id());
    assertEquals("hetero", body.run().runSpec().runName());
    assertEquals("task", body.run().runSpec().configuration().type());
    assertEquals(submissionId.toString(), body.jobSubmission().id());
    assertEquals(Map.of(), body.secrets());
    assertEquals(AgentRequests.LOG_QUOTA_PER_JOB_HOUR, body.logQuotaHour());
    assertEquals(2, runner.jobNum());
    assertEquals(3, runner.jobsPerReplica());
    assertEquals("s3cr3t", runner.env().get("TOKEN"));
    assertEquals("1", runner.env().get("X"), "the job's env overrides the host's");
    assertEquals("h", runner.env().get("HOST_ONLY"));
    assertEquals("main", runner.env().get("DSTACK_PROJECT"));
    assertTrue(runner.commands().getLast().endsWith("join 10.0.0.1"), runner.commands().toString());
    assertEquals("/src", runner.repoDir());
    assertEquals(RepoExistsAction.SKIP, runner.repoExistsAction());
    assertEquals("virtual", runner.repoData().repoType());
    assertEquals(worker.sshKey(), runner.sshKey());
    assertEquals(300, runner.stopDuration());
    assertNull(runner.shell());
    assertThrows(
        IllegalStateException.class,
        () ->
            AgentRequests.runnerSubmit(
                runId,
                "main",
                spec,
                worker,
                submissionId,
                new ClusterInfo(List.of("", "", ""), "", 0, List.of()),
                Map.of("T", "t"),
                null,
                Map.of(),
                null));
  }
}
