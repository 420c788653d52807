package ai.dstack.orchestrator.users;

import ai.dstack.core.api.users.GlobalRole;
import java.time.Instant;
import java.util.UUID;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A user as stored. A deleted user keeps their row under a new name, so their name is free again.
 *
 * @param id UUID v4
 * @param version optimistic lock: a concurrent change fails instead of being lost
 * @param name unique among users, case-insensitively
 * @param globalRole admin or user
 * @param email optional; members may be named by it
 * @param active an inactive user's token is refused
 * @param deleted deleted users are kept, renamed
 * @param originalName the name a deleted user had
 * @param tokenHash SHA-256 of the token
 * @param sshPublicKey OpenSSH public key
 * @param sshPrivateKey the matching PKCS#8 PEM private key
 * @param createdAt creation time, millisecond precision on every database
 */
@Table("users")
public record UserEntity(
    @Id UUID id,
    @Version Long version,
    String name,
    GlobalRole globalRole,
    String email,
    boolean active,
    boolean deleted,
    String originalName,
    String tokenHash,
    String sshPublicKey,
    String sshPrivateKey,
    Instant createdAt) {

  UserEntity withVersion(Long newVersion) {
    return new UserEntity(
        id,
        newVersion,
        name,
        globalRole,
        email,
        active,
        deleted,
        originalName,
        tokenHash,
        sshPublicKey,
        sshPrivateKey,
        createdAt);
  }

  UserEntity withSettings(GlobalRole newRole, String newEmail, boolean newActive) {
    return new UserEntity(
        id,
        version,
        name,
        newRole,
        newEmail,
        newActive,
        deleted,
        originalName,
        tokenHash,
        sshPublicKey,
        sshPrivateKey,
        createdAt);
  }

  UserEntity withTokenHash(String newTokenHash) {
    return new UserEntity(
        id,
        version,
        name,
        globalRole,
        email,
        active,
        deleted,
        originalName,
        newTokenHash,
        sshPublicKey,
        sshPrivateKey,
        createdAt);
  }

  UserEntity withSshKeys(SshKeyPair keys) {
    return new UserEntity(
        id,
        version,
        name,
        globalRole,
        email,
        active,
        deleted,
        originalName,
        tokenHash,
        keys.publicKey(),
        keys.privateKey(),
        createdAt);
  }

  UserEntity asDeleted(String newName) {
    return new UserEntity(
        id,
        version,
        newName,
        globalRole,
        email,
        false,
        true,
        name,
        tokenHash,
        sshPublicKey,
        sshPrivateKey,
        createdAt);
  }
}
