package ai.dstack.core.runs;

import java.time.Instant;

/**
 * One try to place a job submission on an offer, kept on the submission and shown to the user.
 *
 * @param attempt 1 for the first try of the submission
 * @param offer the offer tried
 * @param startedAt when the try began
 * @param finishedAt when it succeeded or failed
 * @param succeeded whether the job's container was started there
 * @param reason what happened, for people: why it failed, or where it runs
 */
public record ProvisioningAttempt(
    int attempt,
    InstanceOffer offer,
    Instant startedAt,
    Instant finishedAt,
    boolean succeeded,
    String reason) {}
