package ai.dstack.orchestrator.runs;

import ai.dstack.core.runs.wire.InstanceOfferWithAvailability;
import ai.dstack.core.runs.wire.JobSpec;
import java.util.List;
import java.util.Optional;

/** Where runs go: the fleet a run is placed on, and what it offers a job in a plan. */
public interface RunPlacement {

  /**
   * The fleet for a project's runs.
   *
   * @return empty when the project has no fleet to run on
   */
  Optional<Fleet> fleetFor(String projectName);

  /** The offers a plan shows for {@code job}, cheapest first; empty when nothing fits. */
  List<InstanceOfferWithAvailability> planOffers(String projectName, JobSpec job);

  /** Why {@code job} gets no offer, for people; null when it does. */
  String whyNoOffers(String projectName, JobSpec job);

  /**
   * A fleet runs are placed on.
   *
   * @param name its name
   * @param workflowId its fleet workflow
   */
  record Fleet(String name, String workflowId) {}
}
