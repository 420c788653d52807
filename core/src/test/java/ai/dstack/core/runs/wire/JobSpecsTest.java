package ai.dstack.core.runs.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.json.Json;
import ai.dstack.core.runs.RetryEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobSpecsTest {

  static final JobSpecs.Settings SETTINGS = JobSpecs.Settings.of("dstack-base:local");

  static RunSpec spec(String configuration) {
    return RunSpecs.withDefaults(
        RunSpecs.parse(Samples.json("{\"configuration\": " + configuration + "}")),
        Samples.USER_KEY);
  }

  @Test
  void namesJobsAfterRunJobAndReplica() {
    var specs = JobSpecs.forSubmission(Samples.taskSpec("train"), SETTINGS, Map.of());
    assertEquals(List.of("train-0-0", "train-1-0"), specs.stream().map(JobSpec::jobName).toList());
    assertEquals(List.of(2, 2), specs.stream().map(JobSpec::jobsPerReplica).toList());
    assertTrue(specs.stream().allMatch(s -> s.requirements().multinode()));
  }

  @Test
  void nodesOfAReplicaShareOneKeyPair() {
    var spec = Samples.taskSpec("train");
    var replica0 = JobSpecs.forReplica(spec, 0, null, SETTINGS, Map.of());
    var replica1 = JobSpecs.forReplica(spec, 1, null, SETTINGS, Map.of());
    assertNotNull(replica0.get(0).sshKey());
    assertEquals(replica0.get(0).sshKey(), replica0.get(1).sshKey());
    assertNotEquals(replica0.get(0).sshKey(), replica1.get(0).sshKey());
    var key = replica0.get(0).sshKey();
    assertTrue(
        key.publicKey().startsWith("ssh-rsa AAAAB3NzaC1yc2E")
            && key.publicKey().endsWith(" dstack_job\n"));
    assertTrue(key.privateKey().startsWith("-----BEGIN PRIVATE KEY-----\n"));
    assertNull(
        JobSpecs.forPlan(spec("{\"type\": \"task\", \"commands\": [\"x\"]}"), SETTINGS, Map.of())
            .get(0)
            .sshKey());
  }

  @Test
  void runsCommandsInDstacksImageWithItsPythonVenv() {
    var job =
        JobSpecs.forPlan(
                spec("{\"type\": \"task\", \"python\": \"3.11\", \"commands\": [\"a \", \"b &\"]}"),
                SETTINGS,
                Map.of())
            .getFirst();
    assertEquals("dry-run-0-0", job.jobName());
    assertEquals("dstack-base:local", job.imageName());
    assertEquals(List.of("/bin/bash", "-i", "-c"), job.commands().subList(0, 3));
    var script = job.commands().get(3);
    assertTrue(
        script.contains("uv venv -q --prompt dstack -p 3.11 --seed $DSTACK_VENV_DIR"), script);
    assertTrue(script.endsWith(" && a && { b & }"), script);
    assertEquals("x86", job.requirements().resources().cpu().arch());
    assertEquals(300L, job.stopDuration());
    assertEquals("/workflow", job.repoDir());
  }

  @Test
  void turnsAnEntrypointIntoTheArgvHead() {
    var job =
        JobSpecs.forPlan(
                spec(
                    "{\"type\": \"task\", \"image\": \"python\", \"user\": \"1000\", \"entrypoint\":"
                        + " \"python -c 'print(1)'\", \"commands\": [\"--flag\"]}"),
                SETTINGS,
                Map.of())
            .getFirst();
    assertEquals(List.of("python", "-c", "print(1)", "--flag"), job.commands());
    assertEquals(1000, job.user().uid());
    assertNull(job.requirements().resources().cpu().arch(), "an image not inspected fits any CPU");
  }

  @Test
  void takesCommandUserAndArchitectureOfAnImageFromTheInspector() {
    var spec =
        spec(
            "{\"type\": \"task\", \"image\": \"tool:1\", \"registry_auth\": {\"username\": \"u\", \"password\": \"${{ secrets.P }}\"}}");
    assertThrows(
        InvalidRunSpecException.class,
        () -> JobSpecs.forPlan(spec, SETTINGS, Map.of("P", "p")),
        "nothing to run without the image's command");
    var seen = new java.util.ArrayList<String>();
    var settings =
        SETTINGS.withImages(
            (image, auth) -> {
              seen.add(image + " " + auth.password());
              return java.util.Optional.of(
                  new ImageConfig(
                      "app:staff", List.of("/init"), List.of("serve"), java.util.Set.of("arm")));
            });
    var job = JobSpecs.forPlan(spec, settings, Map.of("P", "secret-p")).getFirst();
    assertEquals(List.of("/init", "serve"), job.commands());
    assertEquals("app", job.user().username());
    assertEquals("staff", job.user().groupname());
    assertEquals("arm", job.requirements().resources().cpu().arch());
    assertEquals(
        "tool:1 secret-p", seen.getFirst(), "credentials go to the registry with secrets in");
    assertEquals("${{ secrets.P }}", job.registryAuth().password(), "the spec keeps the reference");
  }

  @Test
  void numbersServiceReplicasAcrossGroups() {
    var spec =
        RunSpecs.withRunName(
            spec(
                """
                {"type": "service", "port": 80, "image": "nginx",
                 "groups": [{"name": "a", "replicas": 2, "commands": ["a"]},
                            {"name": "b", "replicas": "1..3", "scaling": {"metric": "rps", "target": 1},
                             "commands": ["b"]}]}
                """),
            "web");
    assertEquals(
        List.of(
            new JobSpecs.Replica(0, "a"),
            new JobSpecs.Replica(1, "a"),
            new JobSpecs.Replica(2, "b")),
        JobSpecs.initialReplicas(spec));
    var jobs = JobSpecs.forSubmission(spec, SETTINGS, Map.of());
    assertEquals(
        List.of("web-0-0", "web-0-1", "web-0-2"), jobs.stream().map(JobSpec::jobName).toList());
    assertEquals(List.of("a", "a", "b"), jobs.stream().map(JobSpec::replicaGroup).toList());
    assertEquals(80, jobs.getFirst().servicePort());
    assertEquals(2, JobSpecs.forPlan(spec, SETTINGS, Map.of()).size(), "one plan per group");
  }

  @Test
  void submitsScheduledRunsWithoutJobs() {
    var spec =
        RunSpecs.withRunName(
            spec(
                "{\"type\": \"task\", \"commands\": [\"x\"], \"schedule\": {\"cron\": \"0 3 * * *\"}}"),
            "nightly");
    assertEquals(List.of(), JobSpecs.forSubmission(spec, SETTINGS, Map.of()));
    assertEquals(1, JobSpecs.forPlan(spec, SETTINGS, Map.of()).size());
  }

  @Test
  void refusesUnresolvedEnvironmentVariables() {
    var spec = spec("{\"type\": \"task\", \"commands\": [\"x\"], \"env\": [\"A\", \"B=1\"]}");
    assertEquals(
        "not all variables are resolved: A",
        assertThrows(
                InvalidRunSpecException.class, () -> JobSpecs.forPlan(spec, SETTINGS, Map.of()))
            .getMessage());
  }

  @Test
  void summarizesForTheWorkflows() {
    var job = JobSpecs.forSubmission(Samples.taskSpec("train"), SETTINGS, Map.of()).getFirst();
    var summary = job.toSummary();
    assertEquals("train-0-0", summary.jobName());
    assertEquals(2, summary.jobsPerReplica());
    assertEquals(3600L, summary.maxDurationSeconds());
    assertEquals(300L, summary.stopDurationSeconds());
    assertEquals(
        List.of(RetryEvent.NO_CAPACITY, RetryEvent.INTERRUPTION, RetryEvent.ERROR),
        summary.retry().onEvents());
    assertEquals(
        "cpu=x86:2.. mem=8GB.. disk=100GB.. gpu=A100:1, on-demand", summary.requirements());
  }

  @Test
  void readsBackWhatItWrites() throws Exception {
    var spec =
        RunSpecs.withRunName(
            spec(
                """
                {"type": "service", "port": 8000, "python": "3.12", "commands": ["serve"],
                 "model": "m", "volumes": ["v-${{ dstack.node_rank }}:/data", "/mnt:/mnt"],
                 "backend_options": [{"type": "vastai", "min_score": 3}], "max_price": 2,
                 "utilization_policy": {"min_gpu_utilization": 5, "time_window": "10m"},
                 "registry_auth": {"username": "u", "password": "p"}}
                """),
            "svc");
    var job = JobSpecs.forSubmission(spec, SETTINGS, Map.of()).getFirst();
    var json = Json.MAPPER.writeValueAsString(job);
    assertEquals(job, Json.MAPPER.readValue(json, JobSpec.class));
    assertTrue(
        json.contains(
            "\"volumes\":[{\"name\":[\"v-0\"],\"path\":\"/data\"},{\"instance_path\":\"/mnt\",\"path\":\"/mnt\",\"optional\":false}]"),
        json);
    assertEquals("/v1/chat/completions", job.probes().getFirst().url());
  }

  @Test
  void splitsEntrypointsAsPythonsShlex() {
    assertEquals(
        List.of("a", "b c", "d\"e", "f\\g", ""), ShellWords.split(" a 'b c' \"d\\\"e\" f\\\\g ''"));
    assertEquals(List.of("x\\y"), ShellWords.split("\"x\\y\""));
    assertThrows(InvalidRunSpecException.class, () -> ShellWords.split("'open"));
  }

  @Test
  void joinsPathsAsPurePosixPath() {
    assertEquals("/workflow/src", JobSpecs.posixJoin("/workflow", "./src/"));
    assertEquals("/workflow", JobSpecs.posixJoin("/workflow", "."));
    assertEquals("/workflow/a/../b", JobSpecs.posixJoin("/workflow", "a//../b"));
  }

  @Test
  void formatsNumbersAsPythonsGeneralFormat() {
    assertEquals("1024", PrettyResources.general(1024.0));
    assertEquals("0.5", PrettyResources.general(0.5));
    assertEquals("1e+06", PrettyResources.general(1_000_000.0));
    assertEquals("2.5e-05", PrettyResources.general(0.000025));
    assertEquals("123457", PrettyResources.general(123456.7));
  }
}
