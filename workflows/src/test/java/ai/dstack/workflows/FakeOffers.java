package ai.dstack.workflows;

import ai.dstack.core.runs.InstanceOffer;
import ai.dstack.workflows.fleets.FleetInstance;
import ai.dstack.workflows.offers.OfferActivities;
import ai.dstack.workflows.offers.OfferList;
import ai.dstack.workflows.offers.OfferQuery;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Offers a one-block share of each instance of the job's fleet, most expensive first (the workflow
 * must sort them), or none for the first submissions a script marks as finding no capacity.
 */
final class FakeOffers implements OfferActivities {
  final Map<String, List<FleetInstance>> fleets = new ConcurrentHashMap<>();
  private final FakeAgents agents;

  FakeOffers(FakeAgents agents) {
    this.agents = agents;
  }

  @Override
  public OfferList findOffers(OfferQuery query) {
    var script = agents.script(query.job().runName());
    if (query.job().submissionNum() < script.noCapacitySubmissions) {
      return new OfferList(List.of(), "no offers: the test's capacity is taken");
    }
    var offers =
        fleets.getOrDefault(query.fleetName(), List.of()).stream()
            .sorted((a, b) -> Double.compare(b.price(), a.price()))
            .map(i -> offer(i, query.fleetName()))
            .toList();
    return new OfferList(offers, offers.isEmpty() ? "no fleet " + query.fleetName() : null);
  }

  static InstanceOffer offer(FleetInstance instance, String fleetName) {
    return new InstanceOffer(
        instance.backend(),
        instance.instanceType(),
        instance.resources(),
        instance.region(),
        instance.price() / instance.totalBlocks(),
        "idle",
        1,
        instance.totalBlocks(),
        fleetName,
        instance.instanceId(),
        instance.instanceName());
  }
}
