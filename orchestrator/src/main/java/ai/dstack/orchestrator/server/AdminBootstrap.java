package ai.dstack.orchestrator.server;

import ai.dstack.core.api.users.GlobalRole;
import ai.dstack.orchestrator.api.ApiException;
import ai.dstack.orchestrator.auth.Tokens;
import ai.dstack.orchestrator.projects.ProjectsService;
import ai.dstack.orchestrator.users.UserEntity;
import ai.dstack.orchestrator.users.UserEvents;
import ai.dstack.orchestrator.users.UserRepository;
import ai.dstack.orchestrator.users.UsersService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The admin user and the {@code main} project, as dstack's server makes them on start: the admin's
 * token comes from {@code DSTACK_SERVER_ADMIN_TOKEN} ({@code --token}) or is generated on first
 * start, and is kept in {@code <server dir>/admin-token} (readable by its owner only).
 */
@Component
public class AdminBootstrap implements InitializingBean {

  /** What start-up found or did about the admin. */
  public enum Outcome {
    /** The admin was created now; the token is shown once. */
    CREATED,
    /** The admin existed and {@code DSTACK_SERVER_ADMIN_TOKEN} gave them a new token. */
    TOKEN_SET,
    /** The admin existed. */
    EXISTING
  }

  private final ServerSettings settings;
  private final UserRepository users;
  private final UsersService usersService;
  private final ProjectsService projects;
  private Outcome outcome;
  private String shownToken;

  AdminBootstrap(
      ServerSettings settings,
      UserRepository users,
      UsersService usersService,
      ProjectsService projects) {
    this.settings = settings;
    this.users = users;
    this.usersService = usersService;
    this.projects = projects;
  }

  @Override
  public void afterPropertiesSet() {
    String configured = settings.admin().token();
    boolean given = configured != null && !configured.isBlank();
    Optional<UserEntity> admin = users.findByNameAndDeletedFalse(UsersService.ADMIN_USERNAME);
    if (admin.isEmpty()) {
      String token = given ? configured.strip() : Tokens.generate();
      try {
        usersService.createUser(UsersService.ADMIN_USERNAME, GlobalRole.ADMIN, null, true, token);
        outcome = Outcome.CREATED;
        shownToken = token;
        writeTokenFile(token);
      } catch (ApiException | DuplicateKeyException e) {
        // Another server on the same database created the admin first.
        outcome = Outcome.EXISTING;
      }
    } else if (given && usersService.setToken(UsersService.ADMIN_USERNAME, configured.strip())) {
      outcome = Outcome.TOKEN_SET;
      writeTokenFile(configured.strip());
    } else {
      outcome = Outcome.EXISTING;
    }
    UserEntity owner = users.findByNameAndDeletedFalse(UsersService.ADMIN_USERNAME).orElseThrow();
    if (!projects.exists(ProjectsService.DEFAULT_PROJECT_NAME)) {
      try {
        projects.createProject(owner.id(), ProjectsService.DEFAULT_PROJECT_NAME, false, null);
      } catch (ApiException | DuplicateKeyException e) {
        // Created meanwhile by another server on the same database.
      }
    }
  }

  /** What start-up found or did. */
  public Outcome outcome() {
    return outcome;
  }

  /** The admin token when it was created now, else empty: it is printed once. */
  public Optional<String> tokenToShow() {
    return Optional.ofNullable(shownToken);
  }

  /** The admin token as kept in the server dir, if it is there. */
  public Optional<String> keptToken() {
    try {
      Path file = tokenFile();
      return Files.exists(file) ? Optional.of(Files.readString(file).strip()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Where the admin token is kept. */
  public Path tokenFile() {
    return settings.dir().resolve("admin-token");
  }

  // After the commit: a rolled-back refresh must not change the kept token.
  @TransactionalEventListener(fallbackExecution = true)
  void onTokenChanged(UserEvents.TokenChanged event) {
    if (event.username().equals(UsersService.ADMIN_USERNAME)) {
      writeTokenFile(event.token());
    }
  }

  private void writeTokenFile(String token) {
    Path file = tokenFile();
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling("admin-token.tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, token + "\n");
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the admin token in " + file, e);
    }
  }
}
