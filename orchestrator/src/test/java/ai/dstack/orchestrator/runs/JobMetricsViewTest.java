package ai.dstack.orchestrator.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.api.metrics.JobMetrics;
import ai.dstack.core.api.metrics.Metric;
import ai.dstack.core.runs.InstanceResources;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Samples as dstack's {@code JobMetrics}: its series, names and numbers. */
class JobMetricsViewTest {
  private static final long T0 = 1_767_225_600_000_000L; // 2026-01-01T00:00:00Z in microseconds

  private static JobMetricsPoints.Point point(
      long secondsAfter, long cpuSeconds, long memory, List<Long> gpuMemory, List<Integer> util) {
    return new JobMetricsPoints.Point(
        T0 + secondsAfter * 1_000_000, cpuSeconds * 1_000_000, memory, memory / 2, gpuMemory, util);
  }

  private static List<String> names(JobMetrics metrics) {
    return metrics.metrics().stream().map(Metric::name).toList();
  }

  private static List<Number> values(JobMetrics metrics, String name) {
    return metrics.metric(name).orElseThrow().values();
  }

  @Test
  void fewerThanTwoSamplesMakeNoMetrics() {
    assertEquals(List.of(), JobMetricsView.of(List.of(), null).metrics());
    assertEquals(
        List.of(),
        JobMetricsView.of(List.of(point(0, 0, 100, List.of(), List.of())), null).metrics());
  }

  @Test
  void cpuUseIsTheChangeSinceTheSampleBeforeNewestFirst() {
    // Newest first, as read: 10 s apart, 5 s of CPU then 20 s of CPU (two cores busy).
    var samples =
        List.of(
            point(20, 25, 3000, List.of(), List.of()),
            point(10, 5, 2000, List.of(), List.of()),
            point(0, 0, 1000, List.of(), List.of()));

    var metrics = JobMetricsView.of(samples, null);

    assertEquals(
        List.of(
            "cpu_usage_percent",
            "memory_usage_bytes",
            "memory_working_set_bytes",
            "gpus_detected_num"),
        names(metrics));
    assertEquals(List.of(200L, 50L), values(metrics, "cpu_usage_percent"));
    assertEquals(List.of(3000L, 2000L), values(metrics, "memory_usage_bytes"));
    assertEquals(List.of(1500L, 1000L), values(metrics, "memory_working_set_bytes"));
    assertEquals(List.of(0, 0), values(metrics, "gpus_detected_num"));
    assertEquals(
        List.of(Instant.parse("2026-01-01T00:00:20Z"), Instant.parse("2026-01-01T00:00:10Z")),
        metrics.metric("cpu_usage_percent").orElseThrow().timestamps());
  }

  @Test
  void eachGpuHasItsSeriesAndTheJobsShareIsConstant() {
    var gpu = new InstanceResources.Gpu("nvidia", "H100", 81_559);
    var resources = new InstanceResources(8, 65_536, List.of(gpu, gpu), 102_400, false);
    var samples =
        List.of(
            point(10, 10, 2000, List.of(7L << 30, 1L << 30), List.of(90, 10)),
            point(0, 0, 1000, List.of(6L << 30, 0L), List.of(80, 0)));

    var metrics = JobMetricsView.of(samples, resources);

    assertEquals(
        List.of(
            "cpu_usage_percent",
            "memory_usage_bytes",
            "memory_working_set_bytes",
            "cpus_detected_num",
            "memory_total_bytes",
            "gpus_detected_num",
            "gpu_memory_total_bytes",
            "gpu_memory_usage_bytes_gpu0",
            "gpu_memory_usage_bytes_gpu1",
            "gpu_util_percent_gpu0",
            "gpu_util_percent_gpu1"),
        names(metrics));
    assertEquals(List.of(8), values(metrics, "cpus_detected_num"));
    assertEquals(List.of(65_536L * 1024 * 1024), values(metrics, "memory_total_bytes"));
    assertEquals(List.of(2), values(metrics, "gpus_detected_num"));
    assertEquals(List.of(81_559L * 1024 * 1024), values(metrics, "gpu_memory_total_bytes"));
    assertEquals(List.of(7L << 30), values(metrics, "gpu_memory_usage_bytes_gpu0"));
    assertEquals(List.of(10), values(metrics, "gpu_util_percent_gpu1"));
  }

  @Test
  void gpuSeriesAreLeftOutWhenTheNumberOfGpusChanged() {
    var samples =
        List.of(
            point(20, 2, 1000, List.of(1L), List.of(50)),
            point(10, 1, 1000, List.of(1L, 2L), List.of(50, 60)),
            point(0, 0, 1000, List.of(1L, 2L), List.of(50, 60)));

    var metrics = JobMetricsView.of(samples, null);

    assertTrue(
        names(metrics).stream().noneMatch(n -> n.startsWith("gpu")), names(metrics).toString());
    assertEquals(List.of(10L, 10L), values(metrics, "cpu_usage_percent"));
  }
}
