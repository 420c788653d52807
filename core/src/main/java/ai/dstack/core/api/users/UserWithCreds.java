package ai.dstack.core.api.users;

import java.time.Instant;
import java.util.UUID;

/**
 * A user with their credentials: the answer of {@code get_my_user} and {@code refresh_token}. The
 * client needs both SSH keys to attach to runs.
 *
 * @param id UUID v4
 * @param username unique, case-insensitively
 * @param createdAt when the user was created
 * @param globalRole the role on the whole server
 * @param email optional
 * @param active an inactive user's token is refused
 * @param permissions what the user may do beyond the role
 * @param sshPublicKey OpenSSH public key, {@code "ssh-rsa AAAA... <username>\n"}
 * @param creds the token
 * @param sshPrivateKey the matching private key, PKCS#8 PEM
 */
public record UserWithCreds(
    UUID id,
    String username,
    Instant createdAt,
    GlobalRole globalRole,
    String email,
    boolean active,
    UserPermissions permissions,
    String sshPublicKey,
    UserTokenCreds creds,
    String sshPrivateKey) {}
