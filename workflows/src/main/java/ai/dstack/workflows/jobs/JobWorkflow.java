package ai.dstack.workflows.jobs;

import ai.dstack.workflows.fleets.SlotGrant;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One submission of one job ({@code <run workflow id>/job/<replica>-<job>/<submission>}), a child
 * of its run workflow: finds offers, waits for a slot in its fleet, provisions on the granted
 * instance (shim task, runner, submit, code, start), follows the job to its end, stops it when
 * asked (gracefully within {@code stop_duration}, then killed), and in every case removes its task
 * and releases its slot.
 */
@WorkflowInterface
public interface JobWorkflow {

  /** Runs the submission to its end; never fails, the result says how it ended. */
  @WorkflowMethod
  JobResult run(JobInput input);

  /** Stops the submission: gracefully, or at once for an abort (which also cuts a stop short). */
  @SignalMethod
  void stop(JobStop stop);

  /** The fleet grants the slot this submission waits for. */
  @SignalMethod(name = SlotGrant.SIGNAL)
  void slotGranted(SlotGrant grant);

  /** The submission's live state: status, attempts, and what it waits for. */
  @QueryMethod
  JobDetail detail();
}
