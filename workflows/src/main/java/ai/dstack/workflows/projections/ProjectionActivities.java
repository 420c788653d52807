package ai.dstack.workflows.projections;

import io.temporal.activity.ActivityInterface;

/**
 * Writes the workflows' state to the database read by list views ({@code runs/list}, {@code
 * fleets/list}). Idempotent: a record whose sequence is not newer than the stored one is ignored.
 */
@ActivityInterface
public interface ProjectionActivities {

  /** Stores a run's status, status message and termination reason. */
  Projected recordRun(RunRecord run);

  /** Stores one job submission: status, reason, exit status, instance and provisioning attempts. */
  Projected recordJob(JobRecord job);

  /** Stores a fleet's instances with their busy blocks, and its queue's length. */
  Projected recordFleet(FleetRecord fleet);
}
