package ai.dstack.core.runs.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The answer to {@code runs/get_plan}, dstack's {@code RunPlan}.
 *
 * @param runSpec the request's run spec, as sent: the client sends it back in {@code runs/apply}
 * @param effectiveRunSpec the spec with the server's defaults ({@link RunSpecs#withDefaults}): the
 *     client diffs it against {@code current_resource.run_spec}
 * @param jobPlans one per job of the plan ({@link JobSpecs#forPlan}); the CLI reads the first, so
 *     there is at least one
 * @param currentResource the active or latest run of the same name, or null
 * @param action create, or update in place
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunPlan(
    String projectName,
    String user,
    RunSpec runSpec,
    RunSpec effectiveRunSpec,
    List<JobPlan> jobPlans,
    Run currentResource,
    ApplyAction action) {
  public RunPlan {
    if (projectName == null || user == null || runSpec == null || action == null) {
      throw new IllegalArgumentException("a run plan needs project_name, user, run_spec, action");
    }
    jobPlans = List.copyOf(jobPlans);
    if (jobPlans.isEmpty()) {
      throw new IllegalArgumentException("a run plan needs at least one job plan");
    }
  }
}
