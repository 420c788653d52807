package ai.dstack.core.api.users;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The body of {@code users/delete}.
 *
 * @param users the usernames to delete
 */
public record DeleteUsersRequest(@JsonProperty(required = true) List<String> users) {}
