package ai.dstack.workflows;

import ai.dstack.workflows.fleets.FleetActivities;
import ai.dstack.workflows.fleets.SlotRequest;
import ai.dstack.workflows.fleets.SlotTicket;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowUpdateStage;

/** Sends slot requests to the fleet workflow as Updates, the request id as the update id. */
final class ClientFleetActivities implements FleetActivities {
  private final WorkflowClient client;

  ClientFleetActivities(WorkflowClient client) {
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
        .getResult();
  }
}
