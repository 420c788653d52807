package ai.dstack.orchestrator.secrets;

import java.time.Instant;
import java.util.UUID;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A secret as stored.
 *
 * @param id UUID v4
 * @param version optimistic lock
 * @param projectId the project it belongs to
 * @param name unique in its project
 * @param value the value as {@link SecretCipher} encrypted it; never the plaintext
 * @param createdAt creation time, millisecond precision
 * @param updatedAt when the value last changed
 */
@Table("secrets")
record SecretEntity(
    @Id UUID id,
    @Version Long version,
    UUID projectId,
    String name,
    String value,
    Instant createdAt,
    Instant updatedAt) {

  SecretEntity withVersion(Long newVersion) {
    return new SecretEntity(id, newVersion, projectId, name, value, createdAt, updatedAt);
  }

  SecretEntity withValue(String newValue, Instant at) {
    return new SecretEntity(id, version, projectId, name, newValue, createdAt, at);
  }

  /** What the value is bound to: a value moved to another secret or project fails to decrypt. */
  String context() {
    return context(projectId, name);
  }

  static String context(UUID projectId, String name) {
    return "secrets/" + projectId + "/" + name;
  }
}
