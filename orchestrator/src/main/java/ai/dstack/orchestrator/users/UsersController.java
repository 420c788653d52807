package ai.dstack.orchestrator.users;

import ai.dstack.core.api.users.CreateUserRequest;
import ai.dstack.core.api.users.DeleteUsersRequest;
import ai.dstack.core.api.users.GetUserRequest;
import ai.dstack.core.api.users.ListUsersRequest;
import ai.dstack.core.api.users.RefreshTokenRequest;
import ai.dstack.core.api.users.User;
import ai.dstack.core.api.users.UserWithCreds;
import ai.dstack.orchestrator.auth.Caller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/users}: every call a POST, as dstack's client sends them. */
@RestController
@RequestMapping("/api/users")
class UsersController {

  private final UsersService service;

  UsersController(UsersService service) {
    this.service = service;
  }

  @PostMapping("/get_my_user")
  UserWithCreds getMyUser(Caller caller) {
    return service.myUser(caller);
  }

  @PostMapping("/list")
  Object list(Caller caller, @RequestBody(required = false) ListUsersRequest request) {
    return service.list(caller, request);
  }

  @PostMapping("/get_user")
  Object getUser(Caller caller, @RequestBody GetUserRequest request) {
    return service.getUser(caller, request.username());
  }

  @PostMapping("/create")
  UserWithCreds create(Caller caller, @RequestBody CreateUserRequest request) {
    return service.create(caller, request);
  }

  @PostMapping("/update")
  User update(Caller caller, @RequestBody CreateUserRequest request) {
    return service.update(caller, request);
  }

  @PostMapping("/refresh_token")
  UserWithCreds refreshToken(Caller caller, @RequestBody RefreshTokenRequest request) {
    return service.refreshToken(caller, request.username());
  }

  @PostMapping("/delete")
  Object delete(Caller caller, @RequestBody DeleteUsersRequest request) {
    service.delete(caller, request.users());
    return null;
  }
}
