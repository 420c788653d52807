package ai.dstack.core.api.users;

import java.util.List;

/**
 * The answer of {@code users/list} when {@code return_total_count} is set; otherwise the answer is
 * the bare list.
 *
 * @param totalCount how many users match, ignoring paging
 * @param users this page
 */
public record UsersInfoList(Integer totalCount, List<User> users) {}
