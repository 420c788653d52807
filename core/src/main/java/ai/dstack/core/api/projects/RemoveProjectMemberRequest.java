package ai.dstack.core.api.projects;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The body of {@code projects/{name}/remove_members}.
 *
 * @param usernames the users (names or emails) to remove
 */
public record RemoveProjectMemberRequest(@JsonProperty(required = true) List<String> usernames) {}
