package ai.dstack.core.api.fleets;

import java.time.Instant;
import java.util.UUID;

/**
 * The body of {@code /api/fleets/list}: the fleets of every project the caller is a member of (all
 * projects for a global admin), newest first, a page at a time.
 *
 * @param projectName only this project's fleets
 * @param onlyActive only fleets not terminated (default false)
 * @param includeImported also fleets exported to the projects (default false)
 * @param prevCreatedAt paging: {@code created_at} of the last fleet of the previous page
 * @param prevId paging: {@code id} of the last fleet of the previous page
 * @param limit at most this many fleets, 0 to 100 (default 100)
 * @param ascending oldest first (default newest first)
 */
public record ListFleetsRequest(
    String projectName,
    Boolean onlyActive,
    Boolean includeImported,
    Instant prevCreatedAt,
    UUID prevId,
    Integer limit,
    Boolean ascending) {

  /** The request with dstack's defaults, for an empty body. */
  public static ListFleetsRequest defaults() {
    return new ListFleetsRequest(null, null, null, null, null, null, null);
  }
}
