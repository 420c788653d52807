package ai.dstack.core.api.runs;

import ai.dstack.core.runs.wire.RunSpec;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code runs/get_plan}.
 *
 * @param runSpec the run spec to plan, sent back as the plan's {@code run_spec}
 * @param maxOffers at most this many offers per job plan (dstack's CLI asks 3 for apply, 50 for
 *     {@code dstack offer}), or null for the server's default
 * @param fullOffers offers not narrowed to the requirements
 * @param unallocatedResources only resources not yet taken on busy instances
 * @param forOffersOnly the plan is for listing offers, not for a run ({@code dstack offer})
 */
public record GetRunPlanRequest(
    @JsonProperty(required = true) RunSpec runSpec,
    Integer maxOffers,
    boolean fullOffers,
    boolean unallocatedResources,
    boolean forOffersOnly) {

  /** The plan of a run, with at most {@code maxOffers} offers, as {@code dstack apply} asks. */
  public static GetRunPlanRequest of(RunSpec runSpec, Integer maxOffers) {
    return new GetRunPlanRequest(runSpec, maxOffers, false, false, false);
  }
}
