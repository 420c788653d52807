package ai.dstack.orchestrator.runs;

import ai.dstack.core.api.metrics.JobMetrics;
import ai.dstack.core.api.metrics.Metric;
import ai.dstack.core.runs.InstanceResources;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Samples as dstack's {@code JobMetrics}: each sample but the oldest becomes a point (CPU use is
 * the change since the sample before it), newest first, with constant series for what the job was
 * given. GPU series are left out when the number of GPUs changed within the samples, as dstack does
 * (GPUs are known by their index only).
 */
final class JobMetricsView {
  private JobMetricsView() {}

  /**
   * The metrics of {@code points} (newest first).
   *
   * @param resources what the job was given (its offer's share of the instance), or null
   */
  static JobMetrics of(List<JobMetricsPoints.Point> points, InstanceResources resources) {
    if (points.size() < 2) {
      return new JobMetrics(List.of());
    }
    var timestamps = new ArrayList<Instant>();
    var cpu = new ArrayList<Number>();
    var memory = new ArrayList<Number>();
    var workingSet = new ArrayList<Number>();
    Map<Integer, List<Number>> gpuMemory = new TreeMap<>();
    Map<Integer, List<Number>> gpuUtil = new TreeMap<>();
    Integer gpusDetected = null;
    boolean gpusChanged = false;
    for (int i = 0; i + 1 < points.size(); i++) {
      var point = points.get(i);
      var previous = points.get(i + 1);
      timestamps.add(instant(point.timestampMicro()));
      cpu.add(cpuPercent(point, previous));
      memory.add(point.memoryUsageBytes());
      workingSet.add(point.memoryWorkingSetBytes());
      if (gpusDetected == null) {
        gpusDetected = point.gpusMemoryUsageBytes().size();
      }
      if (point.gpusMemoryUsageBytes().size() != gpusDetected
          || point.gpusUtilPercent().size() != gpusDetected) {
        gpusChanged = true;
      }
      if (!gpusChanged) {
        for (int gpu = 0; gpu < gpusDetected; gpu++) {
          gpuMemory
              .computeIfAbsent(gpu, k -> new ArrayList<>())
              .add(point.gpusMemoryUsageBytes().get(gpu));
          gpuUtil
              .computeIfAbsent(gpu, k -> new ArrayList<>())
              .add(point.gpusUtilPercent().get(gpu));
        }
      }
    }
    var metrics = new ArrayList<Metric>();
    metrics.add(new Metric("cpu_usage_percent", timestamps, cpu));
    metrics.add(new Metric("memory_usage_bytes", timestamps, memory));
    metrics.add(new Metric("memory_working_set_bytes", timestamps, workingSet));
    if (resources != null) {
      metrics.add(constant("cpus_detected_num", timestamps, resources.cpus()));
      metrics.add(constant("memory_total_bytes", timestamps, resources.memoryMib() * 1024 * 1024));
    }
    if (!gpusChanged) {
      metrics.add(constant("gpus_detected_num", timestamps, gpusDetected));
      if (resources != null && !resources.gpus().isEmpty()) {
        metrics.add(
            constant(
                "gpu_memory_total_bytes",
                timestamps,
                resources.gpus().getFirst().memoryMib() * 1024 * 1024));
      }
      gpuMemory.forEach(
          (gpu, values) ->
              metrics.add(new Metric("gpu_memory_usage_bytes_gpu" + gpu, timestamps, values)));
      gpuUtil.forEach(
          (gpu, values) ->
              metrics.add(new Metric("gpu_util_percent_gpu" + gpu, timestamps, values)));
    }
    return new JobMetrics(metrics);
  }

  /** CPU use between two samples: 100 for one core busy all along. */
  private static long cpuPercent(JobMetricsPoints.Point point, JobMetricsPoints.Point previous) {
    long window = point.timestampMicro() - previous.timestampMicro();
    if (window == 0) {
      return 0;
    }
    return Math.round((point.cpuUsageMicro() - previous.cpuUsageMicro()) * 100.0 / window);
  }

  private static Metric constant(String name, List<Instant> timestamps, Number value) {
    return new Metric(name, timestamps, Collections.nCopies(timestamps.size(), value));
  }

  private static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }
}
