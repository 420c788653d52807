package ai.dstack.core.api.fleets;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The body of {@code /api/instances/list}: the instances of every project the caller is a member of
 * (all projects for a global admin), newest first, a page at a time.
 *
 * @param projectNames only these projects' instances
 * @param fleetIds only these fleets' instances
 * @param onlyActive only instances not terminated (default false)
 * @param includeImported also instances of fleets exported to the projects (default false)
 * @param prevCreatedAt paging: {@code created} of the last instance of the previous page
 * @param prevId paging: {@code id} of the last instance of the previous page
 * @param limit at most this many instances (default 1000)
 * @param ascending oldest first (default newest first)
 */
public record ListInstancesRequest(
    List<String> projectNames,
    List<UUID> fleetIds,
    Boolean onlyActive,
    Boolean includeImported,
    Instant prevCreatedAt,
    UUID prevId,
    Integer limit,
    Boolean ascending) {

  /** The request with dstack's defaults, for an empty body. */
  public static ListInstancesRequest defaults() {
    return new ListInstancesRequest(null, null, null, null, null, null, null, null);
  }
}
