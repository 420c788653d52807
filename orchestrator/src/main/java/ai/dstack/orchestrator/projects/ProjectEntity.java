package ai.dstack.orchestrator.projects;

import ai.dstack.core.api.users.ProjectRole;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.MappedCollection;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A project as stored: an aggregate with its members, saved and versioned as one, so two requests
 * changing the members at once cannot both win.
 *
 * @param id UUID v4
 * @param version optimistic lock
 * @param name unique among projects, case-insensitively
 * @param ownerId the user who created it
 * @param isPublic whether every user may see and join it
 * @param deleted deleted projects are kept, renamed
 * @param originalName the name a deleted project had
 * @param templatesRepo optional git repository of run templates
 * @param sshPublicKey the project's key, for the instances it provisions
 * @param sshPrivateKey the matching private key
 * @param createdAt creation time, millisecond precision
 * @param members the members, in order
 */
@Table("projects")
record ProjectEntity(
    @Id UUID id,
    @Version Long version,
    String name,
    UUID ownerId,
    boolean isPublic,
    boolean deleted,
    String originalName,
    String templatesRepo,
    String sshPublicKey,
    String sshPrivateKey,
    Instant createdAt,
    @MappedCollection(idColumn = "project_id", keyColumn = "member_num")
        List<MemberEntity> members) {

  ProjectEntity {
    members = List.copyOf(members);
  }

  ProjectEntity withVersion(Long newVersion) {
    return new ProjectEntity(
        id,
        newVersion,
        name,
        ownerId,
        isPublic,
        deleted,
        originalName,
        templatesRepo,
        sshPublicKey,
        sshPrivateKey,
        createdAt,
        members);
  }

  ProjectEntity withMembers(List<MemberEntity> newMembers) {
    return new ProjectEntity(
        id,
        version,
        name,
        ownerId,
        isPublic,
        deleted,
        originalName,
        templatesRepo,
        sshPublicKey,
        sshPrivateKey,
        createdAt,
        newMembers);
  }

  ProjectEntity asDeleted(String newName) {
    return new ProjectEntity(
        id,
        version,
        newName,
        ownerId,
        isPublic,
        true,
        name,
        templatesRepo,
        sshPublicKey,
        sshPrivateKey,
        createdAt,
        members);
  }

  /** The user's role here, if they are a member. */
  Optional<ProjectRole> roleOf(UUID userId) {
    return members.stream()
        .filter(m -> m.userId().equals(userId))
        .map(MemberEntity::projectRole)
        .findFirst();
  }
}
