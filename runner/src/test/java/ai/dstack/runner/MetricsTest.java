package ai.dstack.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.agents.runner.MetricsResponse.GpuMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsTest {
  @TempDir Path dir;

  @Test
  void readsNvidiaSmiCsvAndLeavesOutGpusThatCannotReport() {
    var gpus = Metrics.parseNvidiaSmi("40536, 87\n0, 0\n[N/A], [N/A]\n");

    assertEquals(List.of(new GpuMetrics(40536L * 1024 * 1024, 87), new GpuMetrics(0, 0)), gpus);
  }

  @Test
  void readsTheUnifiedCgroupOfTheProcess() throws Exception {
    Path proc = Files.createDirectories(dir.resolve("proc"));
    Path group = Files.createDirectories(dir.resolve("cgroup/job.slice"));
    Files.writeString(
        proc.resolve("mounts"), "cgroup2 " + dir.resolve("cgroup") + " cgroup2 rw 0 0\n");
    Files.writeString(proc.resolve("cgroup"), "0::/job.slice\n");
    Files.writeString(group.resolve("cpu.stat"), "usage_usec 1500\nuser_usec 1000\n");
    Files.writeString(group.resolve("memory.current"), "4096000\n");
    Files.writeString(group.resolve("memory.stat"), "anon 100\ninactive_file 96000\n");

    var metrics = new Metrics(proc, Optional.empty()).read().orElseThrow();

    assertEquals(1500, metrics.cpuUsageMicro());
    assertEquals(4_096_000, metrics.memoryUsageBytes());
    assertEquals(4_000_000, metrics.memoryWorkingSetBytes());
    assertEquals(List.of(), metrics.gpus());
    assertTrue(metrics.timestampMicro() > 0);
  }

  @Test
  void hasNoFiguresWithoutACgroup() throws Exception {
    Path proc = Files.createDirectories(dir.resolve("proc"));
    Files.writeString(proc.resolve("mounts"), "proc /proc proc rw 0 0\n");
    Files.writeString(proc.resolve("cgroup"), "");

    assertTrue(new Metrics(proc, Optional.empty()).read().isEmpty());
  }
}
