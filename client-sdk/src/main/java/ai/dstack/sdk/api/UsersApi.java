package ai.dstack.sdk.api;

import ai.dstack.core.api.users.CreateUserRequest;
import ai.dstack.core.api.users.DeleteUsersRequest;
import ai.dstack.core.api.users.GetUserRequest;
import ai.dstack.core.api.users.ListUsersRequest;
import ai.dstack.core.api.users.RefreshTokenRequest;
import ai.dstack.core.api.users.User;
import ai.dstack.core.api.users.UserWithCreds;
import java.util.List;

/** {@code /api/users}: users, their global roles and their tokens. */
public final class UsersApi {
  private final Transport transport;

  UsersApi(Transport transport) {
    this.transport = transport;
  }

  /** {@code users/get_my_user}: the token's user, with the token and SSH keys. */
  public UserWithCreds getMyUser() {
    return transport.post(
        "/api/users/get_my_user",
        null,
        Types.of(UserWithCreds.class),
        Transport.Idempotency.IDEMPOTENT);
  }

  /** {@code users/list}: every user (a global admin sees all, others only themselves). */
  public List<User> list(ListUsersRequest request) {
    return transport.post(
        "/api/users/list", request, Types.listOf(User.class), Transport.Idempotency.IDEMPOTENT);
  }

  /** {@code users/get_user}. */
  public User getUser(String username) {
    return transport.post(
        "/api/users/get_user",
        new GetUserRequest(username),
        Types.of(User.class),
        Transport.Idempotency.IDEMPOTENT);
  }

  /** {@code users/create} (global admins): the new user, with their token. */
  public UserWithCreds create(CreateUserRequest request) {
    return transport.post(
        "/api/users/create", request, Types.of(UserWithCreds.class), Transport.Idempotency.CHANGE);
  }

  /** {@code users/update} (global admins). */
  public User update(CreateUserRequest request) {
    return transport.post(
        "/api/users/update", request, Types.of(User.class), Transport.Idempotency.CHANGE);
  }

  /** {@code users/refresh_token}: a new token for the user; the old one stops working. */
  public UserWithCreds refreshToken(String username) {
    return transport.post(
        "/api/users/refresh_token",
        new RefreshTokenRequest(username),
        Types.of(UserWithCreds.class),
        Transport.Idempotency.CHANGE);
  }

  /** {@code users/delete} (global admins). */
  public void delete(List<String> usernames) {
    transport.post(
        "/api/users/delete", new DeleteUsersRequest(usernames), null, Transport.Idempotency.CHANGE);
  }
}
