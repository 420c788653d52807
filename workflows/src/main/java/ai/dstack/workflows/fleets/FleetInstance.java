package ai.dstack.workflows.fleets;

import ai.dstack.core.runs.InstanceResources;

/**
 * An instance of a fleet, and how to reach its shim.
 *
 * @param instanceId the instance's id
 * @param instanceName its name, e.g. {@code local-0}
 * @param backend its backend, e.g. {@code local}
 * @param instanceType its instance type's name
 * @param region its region
 * @param hostname the address its shim listens on
 * @param shimPort the shim's HTTP port
 * @param price dollars per hour for the whole instance
 * @param resources the whole instance's resources
 * @param totalBlocks how many blocks it is split into (dstack's {@code blocks}); jobs take whole
 *     blocks
 */
public record FleetInstance(
    String instanceId,
    String instanceName,
    String backend,
    String instanceType,
    String region,
    String hostname,
    int shimPort,
    double price,
    InstanceResources resources,
    int totalBlocks) {

  public FleetInstance {
    if (totalBlocks < 1) {
      throw new IllegalArgumentException("an instance has at least one block, not " + totalBlocks);
    }
  }
}
