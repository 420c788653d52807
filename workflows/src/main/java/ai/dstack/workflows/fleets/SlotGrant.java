package ai.dstack.workflows.fleets;

import ai.dstack.core.runs.InstanceOffer;

/**
 * A slot granted to a job: returned by the request when the fleet has room, or signalled to the job
 * workflow ({@link #SIGNAL}) when it frees up later.
 *
 * @param requestId the request granted
 * @param instance the instance the job runs on
 * @param offer the offer granted: the instance's blocks the job holds
 */
public record SlotGrant(String requestId, FleetInstance instance, InstanceOffer offer) {

  /** The job workflow's signal that receives a grant. */
  public static final String SIGNAL = "slotGranted";
}
