package ai.dstack.core.agents.runner;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The answer of {@link RunnerApi#METRICS}: the container's resource use, from its cgroup.
 *
 * @param timestampMicro when the figures were read, microseconds since the epoch
 * @param cpuUsageMicro CPU time used by the container since it started, in microseconds
 * @param memoryUsageBytes memory charged to the container, page cache included
 * @param memoryWorkingSetBytes memory usage less inactive page cache
 * @param gpus one entry per GPU the container sees; empty without GPUs
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MetricsResponse(
    long timestampMicro,
    long cpuUsageMicro,
    long memoryUsageBytes,
    long memoryWorkingSetBytes,
    List<GpuMetrics> gpus) {
  public MetricsResponse {
    gpus = gpus == null ? List.of() : List.copyOf(gpus);
  }

  /**
   * One GPU's use.
   *
   * @param gpuMemoryUsageBytes GPU memory in use
   * @param gpuUtilPercent GPU utilization, 0 to 100
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record GpuMetrics(long gpuMemoryUsageBytes, int gpuUtilPercent) {}
}
