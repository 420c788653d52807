package ai.dstack.workflows.fleets;

import ai.dstack.core.runs.InstanceOffer;
import ai.dstack.core.runs.JobSubmissionRef;
import java.time.Instant;
import java.util.List;

/**
 * A job submission asking its fleet for a slot.
 *
 * @param requestId from {@code Workflow.randomUUID()}: makes the request idempotent, and is how the
 *     job releases the slot
 * @param fleetWorkflowId the fleet workflow to ask
 * @param jobWorkflowId the job workflow to signal when the slot is granted
 * @param job the job submission
 * @param priority the run's priority (0 to 100, higher first)
 * @param submittedAt the run's submission time (earlier first among equal priorities)
 * @param offers the offers on this fleet's instances to choose from, in order of preference
 */
public record SlotRequest(
    String requestId,
    String fleetWorkflowId,
    String jobWorkflowId,
    JobSubmissionRef job,
    int priority,
    Instant submittedAt,
    List<InstanceOffer> offers) {

  public SlotRequest {
    offers = List.copyOf(offers);
  }

  /** The same request limited to {@code fitting} offers. */
  public SlotRequest withOffers(List<InstanceOffer> fitting) {
    return new SlotRequest(
        requestId, fleetWorkflowId, jobWorkflowId, job, priority, submittedAt, fitting);
  }
}
