package ai.dstack.workflows.fleets;

import java.time.Instant;

/**
 * A request waiting in a fleet's queue.
 *
 * @param request the request, with only the offers this fleet can ever hold
 * @param number its arrival number, the last tie-breaker
 * @param enqueuedAt when it joined the queue
 */
public record QueuedRequest(SlotRequest request, long number, Instant enqueuedAt) {}
