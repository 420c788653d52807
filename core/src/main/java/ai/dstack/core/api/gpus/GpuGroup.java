package ai.dstack.core.api.gpus;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Offers with one kind of GPU, dstack's {@code GpuGroup}; {@code backend}, {@code backends}, {@code
 * region} and {@code regions} are set as the grouping asks (absent otherwise).
 *
 * @param name e.g. {@code H100}
 * @param memoryMib its memory
 * @param vendor e.g. {@code nvidia}
 * @param availability the offers' availabilities, each once, in the order met
 * @param spot {@code spot} and/or {@code on-demand}
 * @param count how many of these GPUs an offer has
 * @param price the hourly price per GPU
 * @param offerPrice the hourly price of a whole offer
 * @param backends the backends offering it, when not grouped by backend
 * @param backend the backend, when grouped by backend
 * @param regions the backend's regions, when grouped by backend but not by region
 * @param region the region, when grouped by backend and region
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GpuGroup(
    String name,
    long memoryMib,
    String vendor,
    List<String> availability,
    List<String> spot,
    Range<Integer> count,
    Range<Double> price,
    Range<Double> offerPrice,
    List<String> backends,
    String backend,
    List<String> regions,
    String region) {}
