package ai.dstack.core.api.runs;

import ai.dstack.core.runs.wire.Run;
import ai.dstack.core.runs.wire.RunSpec;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The plan {@code runs/apply} carries out: dstack's {@code ApplyRunPlanInput}.
 *
 * @param runSpec the plan's {@code run_spec}, as the server sent it
 * @param currentResource the plan's {@code current_resource} (the run to update in place), or null
 *     to create a run
 */
public record ApplyRunPlanInput(
    @JsonProperty(required = true) RunSpec runSpec, Run currentResource) {}
