package ai.dstack.core.runs;

/**
 * A place a job could run, dstack's {@code InstanceOfferWithAvailability}: a share of an existing
 * fleet instance ({@code instanceId} set), or an instance a backend could create.
 *
 * @param backend the backend, e.g. {@code local}, {@code ssh}, {@code aws}
 * @param instanceType the instance type's name
 * @param resources what the job gets: the instance, or its share of {@code blocks}
 * @param region the region
 * @param price dollars per hour for this share
 * @param availability dstack's availability, e.g. {@code available}, {@code idle}, {@code busy}
 * @param blocks how many of the instance's blocks the job takes
 * @param totalBlocks how many blocks the instance is split into
 * @param fleetName the fleet the instance belongs to, or null for a new instance
 * @param instanceId the fleet instance, or null for a new instance
 * @param instanceName the fleet instance's name, or null
 */
public record InstanceOffer(
    String backend,
    String instanceType,
    InstanceResources resources,
    String region,
    double price,
    String availability,
    int blocks,
    int totalBlocks,
    String fleetName,
    String instanceId,
    String instanceName) {

  public InstanceOffer {
    if (blocks < 1 || totalBlocks < blocks) {
      throw new IllegalArgumentException(
          "an offer takes 1 to " + totalBlocks + " blocks, not " + blocks);
    }
  }

  /** A short description for attempts and logs, e.g. {@code local/host (2 of 4 blocks) $0.0}. */
  public String describe() {
    var where = instanceName != null ? instanceName : instanceType;
    var share = totalBlocks > 1 ? " (" + blocks + " of " + totalBlocks + " blocks)" : "";
    return backend + "/" + where + share + " $" + price;
  }
}
