package ai.dstack.workflows.fleets;

/**
 * A job giving back its slot, or leaving the queue.
 *
 * @param requestId the request to release
 * @param reason why, for the fleet's log
 */
public record SlotRelease(String requestId, String reason) {}
