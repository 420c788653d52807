package ai.dstack.orchestrator.projects;

import ai.dstack.core.api.users.ProjectRole;
import java.util.UUID;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A member of a project, stored in {@code members} under its project and position.
 *
 * @param userId the member
 * @param projectRole their role in the project
 */
@Table("members")
record MemberEntity(UUID userId, ProjectRole projectRole) {}
