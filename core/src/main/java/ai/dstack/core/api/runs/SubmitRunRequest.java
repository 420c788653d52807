package ai.dstack.core.api.runs;

import ai.dstack.core.runs.wire.RunSpec;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code runs/submit}, dstack's older call: applies a run spec without a plan.
 *
 * @param runSpec the run spec
 */
public record SubmitRunRequest(@JsonProperty(required = true) RunSpec runSpec) {}
