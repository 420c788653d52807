package ai.dstack.activities.offers;

import ai.dstack.workflows.fleets.FleetInstance;
import java.util.List;

/**
 * Where offer matching reads a fleet's instances: the server implements it from its fleets (for the
 * {@code local} fleet, the one instance its {@code LocalShim} describes).
 */
@FunctionalInterface
public interface FleetInstancesSource {

  /** The fleet's usable instances, each with its blocks; empty when it has none or is unknown. */
  List<FleetInstance> instances(String project, String fleetName);
}
