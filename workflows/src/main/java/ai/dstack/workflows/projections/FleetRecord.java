package ai.dstack.workflows.projections;

import java.util.List;

/**
 * A fleet's instances and queue, as its workflow sees them.
 *
 * @param project the fleet's project
 * @param fleetName the fleet
 * @param sequence grows with each write of the fleet's workflow (carried across continue-as-new)
 * @param instances each instance with its busy blocks
 * @param queueLength how many job submissions wait for a slot
 */
public record FleetRecord(
    String project,
    String fleetName,
    long sequence,
    List<InstanceUsage> instances,
    int queueLength) {

  /**
   * One instance's use.
   *
   * @param instanceId the instance
   * @param instanceName its name
   * @param busyBlocks blocks granted to jobs
   * @param totalBlocks blocks it is split into
   */
  public record InstanceUsage(
      String instanceId, String instanceName, int busyBlocks, int totalBlocks) {}

  public FleetRecord {
    instances = List.copyOf(instances);
  }
}
