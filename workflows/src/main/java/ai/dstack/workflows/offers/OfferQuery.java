package ai.dstack.workflows.offers;

import ai.dstack.core.runs.JobSubmissionRef;

/**
 * Which job wants offers, and from which fleet.
 *
 * @param job the submission; its spec holds the requirements
 * @param fleetName the fleet the run is placed on
 */
public record OfferQuery(JobSubmissionRef job, String fleetName) {}
