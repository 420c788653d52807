package ai.dstack.workflows.fleets;

/**
 * The fleet's answer to a slot request.
 *
 * @param requestId the request
 * @param outcome granted now, queued, or rejected
 * @param position 1-based place in the queue when queued, else 0
 * @param grant the slot when granted now, else null
 * @param reason why it was rejected, for people, else null
 * @param number when queued, the request's arrival number at the fleet, which orders requests of
 *     equal priority and run submission time (0 in tickets of fleets that predate it)
 */
public record SlotTicket(
    String requestId, Outcome outcome, int position, SlotGrant grant, String reason, long number) {

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
    return new SlotTicket(grant.requestId(), Outcome.GRANTED, 0, grant, null, 0);
  }

  static SlotTicket queued(String requestId, int position, long number) {
    return new SlotTicket(requestId, Outcome.QUEUED, position, null, null, number);
  }

  static SlotTicket rejected(String requestId, String reason) {
    return new SlotTicket(requestId, Outcome.REJECTED, 0, null, reason, 0);
  }
}
