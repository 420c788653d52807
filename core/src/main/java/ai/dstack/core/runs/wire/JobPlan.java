package ai.dstack.core.runs.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The plan of one job, dstack's {@code JobPlan}: its spec and the best offers for it.
 *
 * @param offers the offers, best first, at most {@code max_offers} of them
 * @param totalOffers how many offers there are in all
 * @param maxPrice the highest price among all offers, or null without offers
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobPlan(
    JobSpec jobSpec, List<InstanceOfferWithAvailability> offers, int totalOffers, Double maxPrice) {
  public JobPlan {
    if (jobSpec == null) {
      throw new IllegalArgumentException("a job plan needs its job spec");
    }
    offers = offers == null ? List.of() : List.copyOf(offers);
  }
}
