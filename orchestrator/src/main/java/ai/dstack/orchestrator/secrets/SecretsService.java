package ai.dstack.orchestrator.secrets;

import ai.dstack.core.api.projects.Project;
import ai.dstack.core.api.secrets.Secret;
import ai.dstack.orchestrator.api.ApiException;
import ai.dstack.orchestrator.auth.Caller;
import ai.dstack.orchestrator.events.Events;
import ai.dstack.orchestrator.projects.ProjectsService;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * dstack's project secrets: who may see and change them (global admins and project admins, as
 * dstack's default permissions say), their names, and their values, kept encrypted.
 */
@Service
public class SecretsService {

  private static final String NAME_REGEX = "^[A-Za-z0-9-_]{1,200}$";
  private static final Pattern NAME = Pattern.compile(NAME_REGEX);
  private static final int VALUE_MAX_LENGTH = 5000;
  // Two requests creating one secret at once: the loser of the insert retries as an update, so
  // the last write wins, as in dstack, rather than answering "resource exists".
  private static final int WRITE_ATTEMPTS = 3;

  private final SecretRepository secrets;
  private final ProjectsService projects;
  private final SecretCipher cipher;
  private final TransactionOperations transactions;
  private final Events events;
  private final Clock clock;

  SecretsService(
      SecretRepository secrets,
      ProjectsService projects,
      SecretCipher cipher,
      TransactionOperations transactions,
      Events events,
      Clock clock) {
    this.secrets = secrets;
    this.projects = projects;
    this.cipher = cipher;
    this.transactions = transactions;
    this.events = events;
    this.clock = clock;
  }

  /**
   * A project's secrets, decrypted, by name (in name order): what a job's {@code ${{ secrets.NAME
   * }}} interpolates. No permission check, since the server acts for a run that any member may
   * submit; never hand the map to an API caller or a log.
   *
   * @param projectId the project's id
   * @throws IllegalStateException when a value cannot be decrypted: the server's encryption key is
   *     not the one it was written with
   */
  public Map<String, String> projectSecrets(UUID projectId) {
    Map<String, String> byName = new LinkedHashMap<>();
    for (SecretEntity secret : secrets.findByProjectIdOrderByName(projectId)) {
      try {
        byName.put(secret.name(), cipher.decrypt(secret.value(), secret.context()));
      } catch (SecretCipher.CannotDecryptException e) {
        throw new IllegalStateException(cannotDecrypt(secret, e));
      }
    }
    return Collections.unmodifiableMap(byName);
  }

  /** {@code secrets/list}: every secret of the project, newest first, without values. */
  List<Secret> list(Caller caller, String projectName) {
    UUID projectId = projectManagedBy(caller, projectName);
    return secrets.findByProjectIdOrderByCreatedAtDescNameAsc(projectId).stream()
        .map(s -> new Secret(s.id(), s.name(), null))
        .toList();
  }

  /** {@code secrets/get}: one secret with its value; {@code resource_not_exists} if none. */
  Secret get(Caller caller, String projectName, String name) {
    UUID projectId = projectManagedBy(caller, projectName);
    SecretEntity secret =
        secrets
            .findByProjectIdAndName(projectId, name)
            .orElseThrow(ApiException::resourceNotExists);
    return new Secret(secret.id(), secret.name(), decrypt(secret));
  }

  /**
   * {@code secrets/create_or_update}: creates the secret, or sets the value of the one with that
   * name; answers it with its value.
   */
  Secret createOrUpdate(Caller caller, String projectName, String name, String value) {
    UUID projectId = projectManagedBy(caller, projectName);
    validate(name, value);
    for (int attempt = 1; ; attempt++) {
      try {
        return transactions.execute(tx -> store(caller, projectId, name, value));
      } catch (DuplicateKeyException | OptimisticLockingFailureException e) {
        if (attempt == WRITE_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /**
   * {@code secrets/delete}: all the named secrets, or none when any is missing ({@code
   * resource_not_exists} naming them).
   */
  void delete(Caller caller, String projectName, List<String> names) {
    UUID projectId = projectManagedBy(caller, projectName);
    Set<String> wanted = new LinkedHashSet<>(names);
    if (wanted.isEmpty()) {
      return;
    }
    transactions.executeWithoutResult(
        tx -> {
          List<SecretEntity> found = secrets.findByProjectIdAndNameIn(projectId, wanted);
          Set<String> foundNames =
              found.stream().map(SecretEntity::name).collect(Collectors.toSet());
          List<String> missing = wanted.stream().filter(n -> !foundNames.contains(n)).toList();
          if (!missing.isEmpty()) {
            throw ApiException.resourceNotExists(
                "Secrets not found: " + String.join(", ", missing));
          }
          secrets.deleteAllById(found.stream().map(SecretEntity::id).toList());
          for (SecretEntity secret : found) {
            events.recordBy(
                caller.userId(),
                "Secret deleted",
                Events.Target.secret(projectId, secret.id(), secret.name()));
          }
        });
  }

  private Secret store(Caller caller, UUID projectId, String name, String value) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Optional<SecretEntity> existing = secrets.findForUpdateByProjectIdAndName(projectId, name);
    if (existing.isEmpty()) {
      String sealed = cipher.encrypt(value, SecretEntity.context(projectId, name));
      SecretEntity created =
          secrets.save(
              new SecretEntity(UUID.randomUUID(), null, projectId, name, sealed, now, now));
      events.recordBy(
          caller.userId(), "Secret created", Events.Target.secret(projectId, created.id(), name));
      return new Secret(created.id(), name, value);
    }
    SecretEntity current = existing.get();
    if (!value.equals(decryptOrNull(current))) {
      secrets.save(current.withValue(cipher.encrypt(value, current.context()), now));
      events.recordBy(
          caller.userId(), "Secret updated", Events.Target.secret(projectId, current.id(), name));
    }
    return new Secret(current.id(), name, value);
  }

  // Who may: dstack's ProjectManager (global admin, project admin or manager), then its
  // can_manage_secrets, which by default leaves out managers.
  private UUID projectManagedBy(Caller caller, String projectName) {
    Project project = projects.get(caller, projectName);
    boolean allowed =
        caller.isGlobalAdmin()
            || project.members().stream()
                .anyMatch(
                    m ->
                        m.user().id().equals(caller.userId())
                            && m.permissions().canManageSecrets());
    if (!allowed) {
      throw ApiException.forbidden();
    }
    return project.projectId();
  }

  private String decrypt(SecretEntity secret) {
    try {
      return cipher.decrypt(secret.value(), secret.context());
    } catch (SecretCipher.CannotDecryptException e) {
      throw ApiException.badRequest(cannotDecrypt(secret, e));
    }
  }

  private static String cannotDecrypt(SecretEntity secret, SecretCipher.CannotDecryptException e) {
    return "Cannot decrypt secret "
        + secret.name()
        + ": "
        + e.getMessage()
        + ". Start the server with the key it was written with, or set the secret again.";
  }

  // A value this key cannot read is overwritten: setting the secret again is how to recover.
  private String decryptOrNull(SecretEntity secret) {
    try {
      return cipher.decrypt(secret.value(), secret.context());
    } catch (SecretCipher.CannotDecryptException e) {
      return null;
    }
  }

  private static void validate(String name, String value) {
    if (name == null || !NAME.matcher(name).matches()) {
      // dstack's message, with its missing closing quote.
      throw ApiException.badRequest("Secret name should match regex '" + NAME_REGEX);
    }
    if (value == null) {
      throw ApiException.badRequest("Secret value must be a string");
    }
    if (value.codePointCount(0, value.length()) > VALUE_MAX_LENGTH) {
      throw ApiException.badRequest("Secret value length must not exceed " + VALUE_MAX_LENGTH);
    }
  }
}
