package ai.dstack.core.api.projects;

import ai.dstack.core.api.users.ProjectRole;
import ai.dstack.core.api.users.User;

/**
 * A member of a project.
 *
 * @param user the user
 * @param projectRole their role in the project
 * @param permissions what they may do beyond the role
 */
public record Member(User user, ProjectRole projectRole, MemberPermissions permissions) {}
