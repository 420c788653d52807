package ai.dstack.workflows.runs;

import ai.dstack.workflows.jobs.JobUpdate;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One per run ({@code run/<project>/<run-name>/<run-id>}): starts a {@link
 * ai.dstack.workflows.jobs.JobWorkflow} child per job (replica x node), derives the run's status
 * from theirs as dstack does, resubmits per the run's {@code retry} after dstack's backoff (durable
 * timers), and stops or aborts its jobs on request. Its search attributes (project, run, user,
 * status, backend, fleet) follow it.
 */
@WorkflowInterface
public interface RunWorkflow {

  /** Runs the run to its end; never fails, the result says how it ended. */
  @WorkflowMethod
  RunResult run(RunInput input);

  /** Stops the run gracefully, or aborts it; an abort cuts a graceful stop short. */
  @SignalMethod
  void stop(StopRun stop);

  /** A job submission changed; sent by the job workflows. */
  @SignalMethod(name = JobUpdate.SIGNAL)
  void jobChanged(JobUpdate update);

  /** The run's live state with every job submission. */
  @QueryMethod
  RunDetail detail();
}
