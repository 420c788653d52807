package ai.dstack.core.api.metrics;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Optional;

/**
 * A job's metrics, dstack's {@code JobMetrics}: empty until the server holds two samples of the job
 * (CPU use is the change between two).
 *
 * <p>The series: {@code cpu_usage_percent} (100 is one core busy), {@code memory_usage_bytes},
 * {@code memory_working_set_bytes}, {@code cpus_detected_num} and {@code memory_total_bytes} (what
 * the job was given, when known), {@code gpus_detected_num}, {@code gpu_memory_total_bytes}, and
 * per GPU {@code i} {@code gpu_memory_usage_bytes_gpu{i}} and {@code gpu_util_percent_gpu{i}}.
 *
 * @param metrics one series per metric
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobMetrics(List<Metric> metrics) {

  public JobMetrics {
    metrics = metrics == null ? List.of() : List.copyOf(metrics);
  }

  /** The series of that name, if the server sent it. */
  public Optional<Metric> metric(String name) {
    return metrics.stream().filter(m -> m.name().equals(name)).findFirst();
  }
}
