package ai.dstack.core.api.users;

import java.time.Instant;
import java.util.UUID;

/**
 * The body of {@code users/list}; every field is optional, and so is the body.
 *
 * @param returnTotalCount answer with {@link UsersInfoList} instead of a bare list
 * @param namePattern only users whose name contains this, case-insensitively ({@code
 *     [a-zA-Z0-9-_]*})
 * @param prevCreatedAt paging: {@code created_at} of the last user of the previous page
 * @param prevId paging: {@code id} of the last user of the previous page
 * @param limit at most this many users, 0 to 2000 (default 2000)
 * @param ascending oldest first (default newest first)
 */
public record ListUsersRequest(
    Boolean returnTotalCount,
    String namePattern,
    Instant prevCreatedAt,
    UUID prevId,
    Integer limit,
    Boolean ascending) {

  /** The request with dstack's defaults, for an empty body. */
  public static ListUsersRequest defaults() {
    return new ListUsersRequest(null, null, null, null, null, null);
  }
}
