package ai.dstack.activities.offers;

import ai.dstack.workflows.fleets.FleetView;
import ai.dstack.workflows.offers.OfferActivities;
import ai.dstack.workflows.offers.OfferList;
import ai.dstack.workflows.offers.OfferQuery;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Finds the offers on the job's fleet's instances ({@link FleetOffers}), reading the job's
 * requirements and the fleet's instances through the server's ports. Read-only. Backends' new
 * instances are not offered here: the fleets this serves ({@code local}, SSH) have fixed instances.
 */
public class OfferActivitiesImpl implements OfferActivities {

  /** The failure type of a query for a job the server does not know; not retried. */
  public static final String JOB_NOT_FOUND = "JobNotFound";

  private final JobRequirementsSource jobs;
  private final FleetInstancesSource fleets;

  public OfferActivitiesImpl(JobRequirementsSource jobs, FleetInstancesSource fleets) {
    this.jobs = jobs;
    this.fleets = fleets;
  }

  @Override
  public OfferList findOffers(OfferQuery query) {
    JobRequirements requirements;
    try {
      requirements = jobs.requirements(query.job());
    } catch (NoSuchElementException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "no job " + query.job().describe() + " in project " + query.job().project(),
          JOB_NOT_FOUND);
    }
    var instances = fleets.instances(query.job().project(), query.fleetName());
    return FleetOffers.match(requirements, query.fleetName(), instances);
  }

  /**
   * The plan's offers for {@code runs/get_plan}, before any job exists: the same matching over the
   * fleet's instances, each offer with dstack's availability ({@value FleetOffers#IDLE} or {@value
   * FleetOffers#BUSY}) from the instances' busy blocks.
   *
   * @param busyBlocks blocks in use by instance id (the fleet workflow's {@link FleetView});
   *     instances it leaves out are idle
   */
  public OfferList planOffers(
      JobRequirements requirements,
      String project,
      String fleetName,
      Map<String, Integer> busyBlocks) {
    var instances =
        fleets.instances(project, fleetName).stream()
            .map(i -> new FleetView.InstanceUse(i, busyBlocks.getOrDefault(i.instanceId(), 0)))
            .toList();
    return FleetOffers.plan(requirements, fleetName, instances);
  }
}
