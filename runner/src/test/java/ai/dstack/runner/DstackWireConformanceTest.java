package ai.dstack.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * dstack 0.22.5's own server models read what the runner answers: runs when the oracle is set up
 * ({@code scripts/test} passes its Python as {@code -Ddstack.oracle.python}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DstackWireConformanceTest {
  private static final String CHECK =
      """
      import sys
      from dstack._internal.core.models.common import validate_json_extra_ignore
      from dstack._internal.server.schemas import runner as schemas
      for name, path in zip(sys.argv[1::2], sys.argv[2::2]):
          model = validate_json_extra_ignore(getattr(schemas, name), open(path, "rb").read())
          if name == "PullResponse":
              print("states", [(s.state.value, s.termination_reason, s.exit_status) for s in model.job_states])
              print("logs", b"".join(l.message for l in model.job_logs))
              print("has_more", model.has_more)
          else:
              print(name, "ok")
      """;

  @TempDir Path dir;

  @Test
  void dstacksServerModelsReadTheRunnersAnswers() throws Exception {
    String python = System.getProperty("dstack.oracle.python", "");
    assumeFalse(
        python.isEmpty(), "oracle not configured; scripts/test sets -Ddstack.oracle.python");
    try (var runner = RunnerProcess.start(dir)) {
      Files.writeString(dir.resolve("health.json"), runner.get("/api/healthcheck").body());
      var metrics = runner.get("/api/metrics");
      runner.submit(runner.shellJob(List.of("echo hi", "exit 3"), Map.of()));
      Files.writeString(dir.resolve("run.json"), runner.post("/api/run").body());
      // Pulling from 0 acknowledges nothing: the answer that says has_more false holds it all.
      String pull;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      do {
        Thread.sleep(50);
        pull = runner.get("/api/pull?timestamp=0").body();
      } while (pull.contains("\"has_more\":true") && System.nanoTime() < deadline);
      Files.writeString(dir.resolve("pull.json"), pull);

      var command =
          new ArrayList<>(
              List.of(
                  python,
                  "-c",
                  CHECK,
                  "HealthcheckResponse",
                  dir.resolve("health.json").toString(),
                  "JobInfoResponse",
                  dir.resolve("run.json").toString(),
                  "PullResponse",
                  dir.resolve("pull.json").toString()));
      if (metrics.statusCode() == 200) {
        Files.writeString(dir.resolve("metrics.json"), metrics.body());
        command.addAll(List.of("MetricsResponse", dir.resolve("metrics.json").toString()));
      }
      Process check = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      check.waitFor();

      assertEquals(0, check.exitValue(), out);
      String expected =
          "HealthcheckResponse ok\nJobInfoResponse ok\n"
              + "states [('running', None, None), ('failed', 'container_exited_with_error', 3)]\n"
              + "logs b'hi\\n'\nhas_more False\n"
              + (metrics.statusCode() == 200 ? "MetricsResponse ok\n" : "");
      assertEquals(expected, out);
    }
  }
}
