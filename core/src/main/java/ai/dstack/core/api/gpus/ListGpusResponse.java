package ai.dstack.core.api.gpus;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The answer of {@code gpus/list}, dstack's {@code ListGpusResponse}.
 *
 * @param gpus the groups of offers with GPUs, cheapest first (available ones first)
 * @param cpus the groups of CPU-only offers, only when the run spec allows no GPU (else absent)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ListGpusResponse(List<GpuGroup> gpus, List<CpuGroup> cpus) {

  public ListGpusResponse {
    gpus = gpus == null ? List.of() : List.copyOf(gpus);
    cpus = cpus == null ? null : List.copyOf(cpus);
  }
}
