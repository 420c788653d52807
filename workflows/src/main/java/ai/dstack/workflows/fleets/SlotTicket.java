package ai.dstack.workflows.fleets;

/**
 * The fleet's answer to a slot request.
 *
 * @param requestId the request
 * @param outcome granted now, queued, or rejected
 * @param position 1-based place in the queue when queued, else 0
 * @param grant the slot when granted now, else null
 * @param reason why it was rejected, for people, else null
 */
public record SlotTicket(
    String requestId, Outcome outcome, int position, SlotGrant grant, String reason) {

  /** What became of a request. */
  public enum Outcome {
    /** The slot is the job's: {@link SlotTicket#grant()}. */
    GRANTED,
    /** The job waits; a {@link SlotGrant} is signalled when its turn comes. */
    QUEUED,
    /** The fleet can never hold it (or takes no more requests). */
    REJECTED
  }

  static SlotTicket granted(SlotGrant grant) {
    return new SlotTicket(grant.requestId(), Outcome.GRANTED, 0, grant, null);
  }

  static SlotTicket queued(String requestId, int position) {
    return new SlotTicket(requestId, Outcome.QUEUED, position, null, null);
  }

  static SlotTicket rejected(String requestId, String reason) {
    return new SlotTicket(requestId, Outcome.REJECTED, 0, null, reason);
  }
}
