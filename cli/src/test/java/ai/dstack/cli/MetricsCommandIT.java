package ai.dstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.cli.testing.Cli;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code dstack metrics} as a process against a real server: the table of a running task once the
 * server has sampled it, and the errors of a run or job that is not there.
 */
class MetricsCommandIT extends ServerFixture {
  private static final Pattern CPU_ROW =
      Pattern.compile("^job=0 +cpu +[▁▂▃▄▅▆▇]+ \\d+% +[▁▂▃▄▅▆▇]+ \\d+[MG]B/\\d+[MG]B$");

  @Test
  void metricsOfARunningTaskShowItsCpuAndMemory() throws Exception {
    var name = TaskRuns.name("metrics");
    var cli = cli();
    try (var dstack = TaskRuns.sdk(server)) {
      var run = TaskRuns.sleeper(dstack, name);
      try {
        Cli.Result result = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
          result = cli.run("metrics", name);
          assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
          if (result.out().contains("%")) {
            break;
          }
          Thread.sleep(2000);
        }

        var lines = result.out().lines().toList();
        assertTrue(lines.getFirst().strip().matches("UTILIZATION +MEMORY"), result.toString());
        assertTrue(lines.stream().anyMatch(l -> CPU_ROW.matcher(l).matches()), result.toString());
        assertTrue(lines.getLast().contains("┄"), result.toString());
        assertTrue(lines.getLast().strip().endsWith("now"), result.toString());
        assertEquals("", result.err());
      } finally {
        TaskRuns.abort(run);
      }
    }
  }

  @Test
  void anUnknownRunIsOneLineAndExitOne() {
    var result = cli().run("metrics", "no-such-run");

    assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
    assertEquals("", result.out());
    assertEquals(List.of("Error: Run no-such-run not found"), result.err().lines().toList());
  }

  @Test
  void aJobTheRunDoesNotHaveIsOneLineAndExitOne() throws Exception {
    var name = TaskRuns.name("nojob");
    try (var dstack = TaskRuns.sdk(server)) {
      TaskRuns.finished(dstack, name, "echo hi");
    }

    var result = cli().run("metrics", name, "--replica", "3");

    assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
    assertEquals(
        List.of("Error: Run " + name + " has no job matching replica=3"),
        result.err().lines().toList());
  }
}
