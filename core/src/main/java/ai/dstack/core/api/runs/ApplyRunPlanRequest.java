package ai.dstack.core.api.runs;

import ai.dstack.core.runs.wire.RunPlan;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code runs/apply}.
 *
 * @param plan the run spec and the run it replaces or updates
 * @param force re-submit even when the spec did not change
 */
public record ApplyRunPlanRequest(
    @JsonProperty(required = true) ApplyRunPlanInput plan, boolean force) {

  /** Applies {@code plan} as {@code dstack apply} does: its run spec and current resource. */
  public static ApplyRunPlanRequest of(RunPlan plan, boolean force) {
    return new ApplyRunPlanRequest(
        new ApplyRunPlanInput(plan.runSpec(), plan.currentResource()), force);
  }
}
