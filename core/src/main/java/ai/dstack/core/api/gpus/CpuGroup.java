package ai.dstack.core.api.gpus;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * CPU-only offers alike in backend, region or CPU count as the grouping asks, dstack's {@code
 * CpuGroup}.
 *
 * @param cpuArch the CPU architectures ({@code x86}, {@code arm}), sorted
 * @param count the CPU counts
 * @param memoryMib the memory sizes
 * @param price the hourly price of a whole offer
 * @param availability the offers' availabilities, each once, in the order met
 * @param spot {@code spot} and/or {@code on-demand}, sorted
 * @param backends the backends, when not grouped by backend
 * @param backend the backend, when grouped by backend
 * @param regions the regions, when grouped by backend but not by region
 * @param region the region, when grouped by backend and region
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CpuGroup(
    List<String> cpuArch,
    Range<Integer> count,
    Range<Long> memoryMib,
    Range<Double> price,
    List<String> availability,
    List<String> spot,
    List<String> backends,
    String backend,
    List<String> regions,
    String region) {}
