package ai.dstack.core.api.projects;

import java.time.Instant;
import java.util.UUID;

/**
 * The body of {@code projects/list}; every field is optional, and so is the body.
 *
 * @param includeNotJoined also public projects the caller is not a member of (default true)
 * @param username only projects this user owns or belongs to, with only their membership
 * @param returnTotalCount answer with {@link ProjectsInfoList} instead of a bare list
 * @param namePattern only projects whose name contains this, case-insensitively
 * @param prevCreatedAt paging: {@code created_at} of the last project of the previous page
 * @param prevId paging: {@code id} of the last project of the previous page
 * @param limit at most this many projects, 0 to 2000 (default 2000)
 * @param ascending oldest first (default newest first)
 */
public record ListProjectsRequest(
    Boolean includeNotJoined,
    String username,
    Boolean returnTotalCount,
    String namePattern,
    Instant prevCreatedAt,
    UUID prevId,
    Integer limit,
    Boolean ascending) {

  /** The request with dstack's defaults, for an empty body. */
  public static ListProjectsRequest defaults() {
    return new ListProjectsRequest(null, null, null, null, null, null, null, null);
  }
}
