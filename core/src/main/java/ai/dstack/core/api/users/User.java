package ai.dstack.core.api.users;

import java.time.Instant;
import java.util.UUID;

/**
 * A user as dstack's API shows it.
 *
 * @param id UUID v4 (the client rejects other versions)
 * @param username unique, case-insensitively
 * @param createdAt when the user was created
 * @param globalRole the role on the whole server
 * @param email optional
 * @param active an inactive user's token is refused
 * @param permissions what the user may do beyond the role
 * @param sshPublicKey OpenSSH public key the server generated for the user
 */
public record User(
    UUID id,
    String username,
    Instant createdAt,
    GlobalRole globalRole,
    String email,
    boolean active,
    UserPermissions permissions,
    String sshPublicKey) {}
