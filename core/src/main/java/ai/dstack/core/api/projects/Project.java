package ai.dstack.core.api.projects;

import ai.dstack.core.api.users.User;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A project as dstack's API shows it: the answer of {@code projects/{name}/get}, which {@code
 * dstack project add} checks.
 *
 * @param projectId UUID v4 (the client rejects other versions)
 * @param projectName unique, case-insensitively
 * @param owner the user who created it
 * @param createdAt when it was created
 * @param backends its backends (empty in lists)
 * @param members its members, in the order they were set (empty in lists)
 * @param isPublic whether every user may see and join it
 * @param templatesRepo optional git repository of run templates
 */
public record Project(
    UUID projectId,
    String projectName,
    User owner,
    Instant createdAt,
    List<BackendInfo> backends,
    List<Member> members,
    boolean isPublic,
    String templatesRepo) {}
