package ai.dstack.workflows.offers;

import ai.dstack.core.runs.InstanceOffer;
import java.util.List;

/**
 * Offers in the order to try them.
 *
 * @param offers fleet instances first, then new instances, each cheapest first
 * @param reason why there are none, for people, when empty
 */
public record OfferList(List<InstanceOffer> offers, String reason) {
  public OfferList {
    offers = List.copyOf(offers);
  }
}
