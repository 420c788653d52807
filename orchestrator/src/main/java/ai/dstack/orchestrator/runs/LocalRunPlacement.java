package ai.dstack.orchestrator.runs;

import ai.dstack.activities.offers.JobRequirements;
import ai.dstack.activities.offers.OfferActivitiesImpl;
import ai.dstack.core.runs.wire.InstanceOfferWithAvailability;
import ai.dstack.core.runs.wire.JobSpec;
import ai.dstack.orchestrator.fleets.FleetRecords;
import ai.dstack.orchestrator.fleets.LocalFleet;
import ai.dstack.workflows.offers.OfferList;
import ai.dstack.workflows.projections.FleetRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Runs go to the local fleet, the one fleet so far; a plan shows its instance's shares that fit,
 * each idle or busy as the fleet's workflow last reported its blocks.
 */
@Component
class LocalRunPlacement implements RunPlacement {
  private final LocalFleet local;
  private final FleetRecords usage;
  private final OfferActivitiesImpl offers;

  LocalRunPlacement(LocalFleet local, FleetRecords usage, OfferActivitiesImpl offers) {
    this.local = local;
    this.usage = usage;
    this.offers = offers;
  }

  @Override
  public Optional<Fleet> fleetFor(String projectName) {
    return local.enabled()
        ? Optional.of(new Fleet(LocalFleet.NAME, LocalFleet.WORKFLOW_ID))
        : Optional.empty();
  }

  @Override
  public List<InstanceOfferWithAvailability> planOffers(String projectName, JobSpec job) {
    return plan(job).offers().stream()
        .map(o -> InstanceOfferWithAvailability.of(o, RunViews.CPU_ARCH))
        .toList();
  }

  @Override
  public String whyNoOffers(String projectName, JobSpec job) {
    var plan = plan(job);
    return plan.offers().isEmpty() ? plan.reason() : null;
  }

  private OfferList plan(JobSpec job) {
    if (!local.enabled()) {
      return new OfferList(List.of(), "the local fleet is turned off");
    }
    var requirements = job.requirements();
    return offers.planOffers(
        new JobRequirements(
            requirements.resources(),
            requirements.spot(),
            requirements.maxPrice(),
            Boolean.TRUE.equals(requirements.multinode())),
        LocalFleet.WORKFLOW_PROJECT,
        LocalFleet.NAME,
        busyBlocks());
  }

  private Map<String, Integer> busyBlocks() {
    return usage
        .find(LocalFleet.WORKFLOW_PROJECT, LocalFleet.NAME)
        .map(FleetRecord::instances)
        .orElse(List.of())
        .stream()
        .collect(
            Collectors.toMap(
                FleetRecord.InstanceUsage::instanceId,
                FleetRecord.InstanceUsage::busyBlocks,
                (a, b) -> b));
  }
}
