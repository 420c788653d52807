package ai.dstack.orchestrator.users;

import ai.dstack.core.api.users.CreateUserRequest;
import ai.dstack.core.api.users.GlobalRole;
import ai.dstack.core.api.users.ListUsersRequest;
import ai.dstack.core.api.users.User;
import ai.dstack.core.api.users.UserPermissions;
import ai.dstack.core.api.users.UserTokenCreds;
import ai.dstack.core.api.users.UserWithCreds;
import ai.dstack.core.api.users.UsersInfoList;
import ai.dstack.orchestrator.api.ApiException;
import ai.dstack.orchestrator.auth.Caller;
import ai.dstack.orchestrator.auth.Tokens;
import ai.dstack.orchestrator.persistence.Keyset;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/** dstack's user management: who may see, create, change and delete which users. */
@Service
public class UsersService {

  /** The user created on first start; it cannot be deleted. */
  public static final String ADMIN_USERNAME = "admin";

  private static final Pattern USERNAME = Pattern.compile("^[a-zA-Z0-9-_]{1,60}$");
  private static final Pattern NAME_PATTERN = Pattern.compile("^[a-zA-Z0-9-_]*$");
  private static final int MAX_LIMIT = 2000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final UserRepository users;
  private final TransactionOperations transactions;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  UsersService(
      UserRepository users,
      TransactionOperations transactions,
      ApplicationEventPublisher events,
      Clock clock) {
    this.users = users;
    this.transactions = transactions;
    this.events = events;
    this.clock = clock;
  }

  /** The caller with their token and SSH keys ({@code users/get_my_user}). */
  public UserWithCreds myUser(Caller caller) {
    UserEntity user = users.findById(caller.userId()).orElseThrow(ApiException::resourceNotExists);
    if (user.sshPublicKey() == null || user.sshPrivateKey() == null) {
      SshKeyPair keys = SshKeyPair.generate(user.name());
      user = transactions.execute(tx -> users.save(reload(caller.userId()).withSshKeys(keys)));
    }
    return withCreds(user, caller.token());
  }

  /**
   * {@code users/list}: every live user for an admin, only themselves for anyone else; a bare list,
   * or {@link UsersInfoList} when a total count is asked for.
   */
  public Object list(Caller caller, ListUsersRequest request) {
    ListUsersRequest r = request == null ? ListUsersRequest.defaults() : request;
    String pattern = r.namePattern();
    if (pattern != null && !NAME_PATTERN.matcher(pattern).matches()) {
      throw ApiException.badRequest("name_pattern should match regex '^[a-zA-Z0-9-_]*$'");
    }
    int limit = r.limit() == null ? MAX_LIMIT : r.limit();
    if (limit < 0 || limit > MAX_LIMIT) {
      throw ApiException.badRequest("limit should be between 0 and " + MAX_LIMIT);
    }
    boolean withCount = Boolean.TRUE.equals(r.returnTotalCount());
    List<User> page;
    Integer total = null;
    if (caller.isGlobalAdmin()) {
      Keyset keyset =
          new Keyset(r.prevCreatedAt(), r.prevId(), limit, Boolean.TRUE.equals(r.ascending()));
      page = users.findPage(pattern, keyset).stream().map(UsersService::toUser).toList();
      if (withCount) {
        total = Math.toIntExact(users.countMatching(pattern));
      }
    } else {
      UserEntity self = users.findById(caller.userId()).orElseThrow();
      boolean matches =
          pattern == null || self.name().toLowerCase().contains(pattern.toLowerCase());
      page = matches ? List.of(toUser(self)) : List.of();
      total = page.size();
    }
    return withCount ? new UsersInfoList(total, page) : page;
  }

  /**
   * {@code users/get_user}: an admin sees anyone, a user only themselves (anyone else does not
   * exist for them, as in dstack). The caller's own answer carries their token; the server keeps no
   * other user's token.
   */
  public Object getUser(Caller caller, String username) {
    UserEntity user =
        users.findByNameAndDeletedFalse(username).orElseThrow(ApiException::resourceNotExists);
    if (user.id().equals(caller.userId())) {
      return withCreds(user, caller.token());
    }
    if (!caller.isGlobalAdmin()) {
      throw ApiException.resourceNotExists();
    }
    return toUser(user);
  }

  /**
   * {@code users/create} (global admins): the answer is the new user, plus their token in {@code
   * creds}, the only time it is shown.
   */
  public UserWithCreds create(Caller caller, CreateUserRequest request) {
    requireGlobalAdmin(caller);
    String token = Tokens.generate();
    UserEntity user =
        createUser(
            request.username(), request.globalRole(), request.email(), request.isActive(), token);
    return withCreds(user, token);
  }

  /**
   * Creates a user with the given token; the caller checked who may do this.
   *
   * @throws ApiException {@code resource_exists} when the name is taken (case-insensitively)
   */
  public UserEntity createUser(
      String username, GlobalRole role, String email, boolean active, String token) {
    validateUsername(username);
    if (users.findByNameIgnoreCaseAndDeletedFalse(username).isPresent()) {
      throw ApiException.resourceExists();
    }
    SshKeyPair keys = SshKeyPair.generate(username);
    UserEntity user =
        new UserEntity(
            UUID.randomUUID(),
            null,
            username,
            role,
            email,
            active,
            false,
            null,
            Tokens.hash(token),
            keys.publicKey(),
            keys.privateKey(),
            now());
    return transactions.execute(
        tx -> {
          if (users.findByNameIgnoreCaseAndDeletedFalse(username).isPresent()) {
            throw ApiException.resourceExists();
          }
          return users.save(user);
        });
  }

  /** {@code users/update} (global admins): role, email and whether the user is active. */
  public User update(Caller caller, CreateUserRequest request) {
    requireGlobalAdmin(caller);
    return transactions.execute(
        tx -> {
          UserEntity user =
              users
                  .findByNameAndDeletedFalse(request.username())
                  .orElseThrow(ApiException::resourceNotExists);
          return toUser(
              users.save(
                  user.withSettings(request.globalRole(), request.email(), request.isActive())));
        });
  }

  /**
   * {@code users/refresh_token}: a new token for the caller, or for anyone when the caller is a
   * global admin; the answer carries it.
   */
  public UserWithCreds refreshToken(Caller caller, String username) {
    if (!caller.isGlobalAdmin() && !caller.username().equals(username)) {
      throw ApiException.forbidden();
    }
    String token = Tokens.generate();
    UserEntity user =
        transactions.execute(
            tx -> {
              UserEntity found =
                  users
                      .findByNameAndDeletedFalse(username)
                      .orElseThrow(ApiException::resourceNotExists);
              UserEntity saved = users.save(found.withTokenHash(Tokens.hash(token)));
              events.publishEvent(new UserEvents.TokenChanged(saved.name(), token));
              return saved;
            });
    return withCreds(user, token);
  }

  /**
   * Sets a user's token, e.g. the admin's from {@code DSTACK_SERVER_ADMIN_TOKEN}.
   *
   * @return false when the user already has this token
   */
  public boolean setToken(String username, String token) {
    String hash = Tokens.hash(token);
    return Boolean.TRUE.equals(
        transactions.execute(
            tx -> {
              UserEntity user =
                  users
                      .findByNameAndDeletedFalse(username)
                      .orElseThrow(ApiException::resourceNotExists);
              if (user.tokenHash().equals(hash)) {
                return false;
              }
              users.save(user.withTokenHash(hash));
              return true;
            }));
  }

  /**
   * {@code users/delete} (global admins): the users leave every project, and their names are free
   * again. All or nothing: one unknown name deletes no one.
   */
  public void delete(Caller caller, List<String> usernames) {
    requireGlobalAdmin(caller);
    if (usernames.contains(ADMIN_USERNAME)) {
      throw ApiException.badRequest("User '" + ADMIN_USERNAME + "' cannot be deleted");
    }
    transactions.executeWithoutResult(
        tx -> {
          List<UserEntity> found = users.findByNameInAndDeletedFalse(new HashSet<>(usernames));
          if (found.size() != new HashSet<>(usernames).size()) {
            throw ApiException.badRequest("Failed to delete non-existent users");
          }
          String stamp = Long.toString(clock.instant().getEpochSecond());
          List<UUID> ids = new ArrayList<>();
          for (UserEntity user : found) {
            byte[] suffix = new byte[8];
            RANDOM.nextBytes(suffix);
            users.save(
                user.asDeleted("_deleted_" + stamp + "_" + HexFormat.of().formatHex(suffix)));
            ids.add(user.id());
          }
          events.publishEvent(new UserEvents.UsersDeleted(ids));
        });
  }

  /** The user as dstack's API shows it. */
  public static User toUser(UserEntity user) {
    return new User(
        user.id(),
        user.name(),
        user.createdAt(),
        user.globalRole(),
        user.email(),
        user.active(),
        permissions(),
        user.sshPublicKey());
  }

  private static UserWithCreds withCreds(UserEntity user, String token) {
    return new UserWithCreds(
        user.id(),
        user.name(),
        user.createdAt(),
        user.globalRole(),
        user.email(),
        user.active(),
        permissions(),
        user.sshPublicKey(),
        new UserTokenCreds(token),
        user.sshPrivateKey());
  }

  // dstack's default permissions let every user create projects.
  private static UserPermissions permissions() {
    return new UserPermissions(true);
  }

  private UserEntity reload(UUID id) {
    return users.findById(id).orElseThrow(ApiException::resourceNotExists);
  }

  private Instant now() {
    // Millisecond precision: what SQLite keeps, so both databases page identically.
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static void requireGlobalAdmin(Caller caller) {
    if (!caller.isGlobalAdmin()) {
      throw ApiException.forbidden();
    }
  }

  private static void validateUsername(String username) {
    if (username == null || !USERNAME.matcher(username).matches()) {
      throw ApiException.badRequest("Username should match regex '^[a-zA-Z0-9-_]{1,60}$'");
    }
  }
}
