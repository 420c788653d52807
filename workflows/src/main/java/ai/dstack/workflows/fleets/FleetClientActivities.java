package ai.dstack.workflows.fleets;

import io.temporal.client.UpdateOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateStage;
import java.util.concurrent.TimeUnit;

/**
 * {@link FleetActivities} over a workflow client. It lives beside the workflows rather than in the
 * activities module because it talks to nothing but Temporal, and the workflows' own tests run it.
 */
public final class FleetClientActivities implements FleetActivities {
  /** How long one try of a slot request waits for the fleet's answer. */
  public static final long UPDATE_WAIT_SECONDS = 20;

  private final WorkflowClient client;

  /** Sends through {@code client}, in the namespace the workflows run in. */
  public FleetClientActivities(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public SlotTicket requestSlot(SlotRequest request) {
    return client
        .newUntypedWorkflowStub(request.fleetWorkflowId())
        .startUpdate(
            UpdateOptions.newBuilder(SlotTicket.class)
                .setUpdateName("requestSlot")
                .setUpdateId(request.requestId())
                .setWaitForStage(WorkflowUpdateStage.COMPLETED)
                .build(),
            request)
        // Bounded, so a lost update is sent again (same id, same answer) rather than waited on.
        .getResult(UPDATE_WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public boolean deliverGrant(SlotDelivery delivery) {
    try {
      client
          .newUntypedWorkflowStub(delivery.jobWorkflowId())
          .signal(SlotGrant.SIGNAL, delivery.grant());
      return true;
    } catch (WorkflowNotFoundException e) {
      return false;
    }
  }

  @Override
  public void releaseSlot(SlotReturn slotReturn) {
    client
        .newWorkflowStub(FleetWorkflow.class, slotReturn.fleetWorkflowId())
        .release(slotReturn.release());
  }
}
