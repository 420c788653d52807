/**
 * Offers: which share of which fleet instance can run a job, matched as dstack 0.22.5 matches
 * requirements against offers, with a reason people can act on when nothing fits. The server
 * supplies jobs' requirements and fleets' instances through {@link
 * ai.dstack.activities.offers.JobRequirementsSource} and {@link
 * ai.dstack.activities.offers.FleetInstancesSource}.
 */
package ai.dstack.activities.offers;
