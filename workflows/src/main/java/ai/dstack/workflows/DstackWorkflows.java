package ai.dstack.workflows;

import ai.dstack.workflows.fleets.FleetWorkflowImpl;
import ai.dstack.workflows.jobs.JobWorkflowImpl;
import ai.dstack.workflows.runs.RunWorkflowImpl;
import java.util.List;

/** What a worker registers: the task queue and every workflow implementation. */
public final class DstackWorkflows {
  private DstackWorkflows() {}

  /** The task queue of dstack's workflows and activities. */
  public static final String TASK_QUEUE = "dstack";

  /** Every workflow implementation, for a worker and for the replay tests. */
  public static final List<Class<?>> IMPLEMENTATIONS =
      List.of(RunWorkflowImpl.class, JobWorkflowImpl.class, FleetWorkflowImpl.class);
}
