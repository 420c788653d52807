package ai.dstack.core.api.projects;

import ai.dstack.core.api.users.ProjectRole;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One member in {@code set_members} and {@code add_members}.
 *
 * @param username the user's name or email
 * @param projectRole their role in the project
 */
public record MemberSetting(
    @JsonProperty(required = true) String username,
    @JsonProperty(required = true) ProjectRole projectRole) {}
