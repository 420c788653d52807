package ai.dstack.core.api.users;

import com.fasterxml.jackson.annotation.JsonValue;

/** A user's role on the whole server, dstack's {@code GlobalRole}. */
public enum GlobalRole {
  /** Manages users and sees every project. */
  ADMIN("admin"),
  /** Sees the projects they are a member of, and public ones. */
  USER("user");

  private final String wireValue;

  GlobalRole(String wireValue) {
    this.wireValue = wireValue;
  }

  /** The JSON value. */
  @JsonValue
  public String wireValue() {
    return wireValue;
  }
}
