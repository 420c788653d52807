package ai.dstack.core.api.gpus;

import ai.dstack.core.runs.wire.RunSpec;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The body of {@code gpus/list}, dstack's {@code ListGpusRequest}.
 *
 * @param runSpec the run spec whose offers to group (as {@code runs/get_plan} takes it)
 * @param groupBy any of {@code backend}, {@code region} (only with {@code backend}) and {@code
 *     count}, or null for no grouping beyond the GPU
 * @param reverse the most expensive groups first (available ones still first)
 * @param fullOffers offers not narrowed to the requirements
 * @param unallocatedResources only resources not yet taken on busy instances
 */
public record ListGpusRequest(
    @JsonProperty(required = true) RunSpec runSpec,
    List<String> groupBy,
    boolean reverse,
    boolean fullOffers,
    boolean unallocatedResources) {

  /** The groups of {@code runSpec}'s offers by GPU and {@code groupBy}, as {@code dstack offer}. */
  public static ListGpusRequest of(RunSpec runSpec, List<String> groupBy) {
    return new ListGpusRequest(runSpec, groupBy, false, false, false);
  }
}
