package ai.dstack.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.agents.runner.ClusterInfo;
import ai.dstack.core.agents.runner.FileArchiveMapping;
import ai.dstack.core.agents.runner.HealthcheckResponse;
import ai.dstack.core.agents.runner.JobSpec;
import ai.dstack.core.agents.runner.JobState;
import ai.dstack.core.agents.runner.JobStateEvent;
import ai.dstack.core.agents.runner.LogEvent;
import ai.dstack.core.agents.runner.PullResponse;
import ai.dstack.core.agents.runner.RepoExistsAction;
import ai.dstack.core.agents.runner.ShellCommand;
import ai.dstack.core.agents.runner.SubmitBody;
import ai.dstack.core.agents.runner.TerminationReason;
import ai.dstack.core.json.Json;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shared DTOs read what dstack 0.22.5's server sends and write what it reads. */
class ProtocolJsonTest {
  @Test
  void readsTheSubmitBodyDstacksServerSends() throws Exception {
    SubmitBody body;
    // Made by dstack 0.22.5's SubmitBody.json_for_runner() (see the fixture's neighbours in git).
    try (InputStream in = getClass().getResourceAsStream("/dstack-0.22.5-submit-body.json")) {
      body = Json.MAPPER.readValue(in, SubmitBody.class);
    }

    JobSpec spec = body.jobSpec();
    assertEquals("0f5b4a1e-0001-4c3b-9d2e-000000000000", body.run().id());
    assertEquals("happy-cat-1", body.effectiveRunSpec().runName());
    assertEquals("repo-1", body.effectiveRunSpec().repoId());
    assertEquals("task", body.effectiveRunSpec().configuration().type());
    assertEquals("0f5b4a1e-0002-4c3b-9d2e-000000000000", body.jobSubmission().id());
    assertEquals(List.of("/bin/sh", "-i", "-c", "echo hi && echo there"), spec.argv());
    assertEquals(1, spec.jobNum());
    assertEquals(2, spec.jobsPerReplica());
    assertEquals(1000, spec.user().uid());
    assertEquals("ubuntu", spec.user().username());
    assertEquals(Map.of("A", "1"), spec.env());
    assertEquals(3600, spec.maxDuration());
    assertNull(spec.stopDuration(), "dstack's server does not send stop_duration to the runner");
    assertEquals("PRIV", spec.sshKey().privateKey());
    assertEquals("PUB", spec.sshKey().publicKey());
    assertEquals("/workflow", spec.workingDir());
    assertEquals("/workflow", spec.repoDir());
    assertTrue(spec.repoData().isRemote());
    assertEquals("abc123", spec.repoData().repoHash());
    assertEquals("Jane", spec.repoData().repoConfigName());
    assertEquals(RepoExistsAction.ERROR, spec.repoExistsAction());
    assertEquals(
        List.of(new FileArchiveMapping("0f5b4a1e-0007-4c3b-9d2e-000000000000", "~/.config/app")),
        spec.fileArchives());
    assertEquals(
        new ClusterInfo(List.of("10.0.0.1", "10.0.0.2"), "10.0.0.1", 2, List.of(2, 2)),
        body.clusterInfo());
    assertEquals(Map.of("TOKEN", "s"), body.secrets());
    assertEquals("tok", body.repoCredentials().oauthToken());
    assertEquals(1_000_000L, body.logQuotaHour());
  }

  @Test
  void writesPullResponsesAsDstacksServerReadsThem() throws Exception {
    var response =
        new PullResponse(
            List.of(
                new JobStateEvent(
                    1001, JobState.FAILED, TerminationReason.CONTAINER_EXITED_WITH_ERROR, null, 3)),
            List.of(new LogEvent(1000, "hello\n".getBytes(StandardCharsets.UTF_8))),
            List.of(),
            1001,
            null,
            false);

    String json = Json.write(response);

    assertEquals(
        "{\"job_states\":[{\"timestamp\":1001,\"state\":\"failed\","
            + "\"termination_reason\":\"container_exited_with_error\",\"termination_message\":null,"
            + "\"exit_status\":3}],\"job_logs\":[{\"timestamp\":1000,\"message\":\"aGVsbG8K\"}],"
            + "\"runner_logs\":[],\"last_updated\":1001,\"no_connections_secs\":null,"
            + "\"has_more\":false}",
        json);
    assertEquals(response, Json.MAPPER.readValue(json, PullResponse.class));
  }

  @ParameterizedTest(name = "version {0}")
  @CsvSource({"latest", "0.1.0-SNAPSHOT", "0.22.5"})
  void handWrittenHealthcheckIsWhatJacksonWouldWrite(String version) {
    var health = new HealthcheckResponse("dstack-runner", version);

    assertEquals(
        Json.write(health),
        new String(RunnerServer.healthcheckJson(health), StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "echo a;echo b|echo a && echo b",
        "  python train.py  ;sleep 1|python train.py && sleep 1",
        "server &;curl localhost|{ server & } && curl localhost",
      })
  void joinsCommandsAsDstackDoes(String commands, String joined) {
    assertEquals(joined, ShellCommand.join(List.of(commands.split(";"))));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      value = {"sh,/bin/sh", "bash,/bin/bash", "/usr/bin/zsh,/usr/bin/zsh", "'',/bin/sh"},
      nullValues = "null")
  void resolvesShellsAsDstackDoes(String shell, String path) {
    assertEquals(path, ShellCommand.shellPath(shell));
  }

  @Test
  void shellJobSpecRunsTheJoinedCommandsWithThatShell() {
    JobSpec spec = JobSpec.ofShellCommands("bash", List.of("echo a", "echo b"));

    assertEquals(List.of("/bin/bash", "-c", "echo a && echo b"), spec.argv());
  }
}
