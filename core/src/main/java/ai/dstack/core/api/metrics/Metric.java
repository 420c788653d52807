package ai.dstack.core.api.metrics;

import ai.dstack.core.runs.wire.Timestamps;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.List;

/**
 * One series of a job's metrics, dstack's {@code Metric}: newest sample first.
 *
 * @param name e.g. {@code cpu_usage_percent}, {@code memory_working_set_bytes}, {@code
 *     gpu_util_percent_gpu0}
 * @param timestamps when each sample was taken, newest first
 * @param values one number per timestamp
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Metric(
    String name,
    @JsonSerialize(contentUsing = Timestamps.Serializer.class)
        @JsonDeserialize(contentUsing = Timestamps.Deserializer.class)
        List<Instant> timestamps,
    List<Number> values) {

  public Metric {
    timestamps = timestamps == null ? List.of() : List.copyOf(timestamps);
    values = values == null ? List.of() : List.copyOf(values);
  }
}
