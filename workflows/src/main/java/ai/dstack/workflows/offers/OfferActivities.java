package ai.dstack.workflows.offers;

import io.temporal.activity.ActivityInterface;

/** Finds the offers that fit a job: its fleet's instances, and backends' instance types. */
@ActivityInterface
public interface OfferActivities {

  /**
   * The offers that fit the job's requirements (read from its stored spec): shares of existing
   * fleet instances first, then new instances, each group cheapest first. Read-only; empty when
   * nothing fits.
   */
  OfferList findOffers(OfferQuery query);
}
