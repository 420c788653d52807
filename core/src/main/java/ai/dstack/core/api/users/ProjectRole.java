package ai.dstack.core.api.users;

import com.fasterxml.jackson.annotation.JsonValue;

/** A member's role in a project, dstack's {@code ProjectRole}. */
public enum ProjectRole {
  /** Everything in the project, including its admins and its deletion. */
  ADMIN("admin"),
  /** Manages the project's members, except its admins. */
  MANAGER("manager"),
  /** Uses the project: runs, fleets, volumes. */
  USER("user");

  private final String wireValue;

  ProjectRole(String wireValue) {
    this.wireValue = wireValue;
  }

  /** The JSON value. */
  @JsonValue
  public String wireValue() {
    return wireValue;
  }

  /** Whether this role may change the project's members. */
  public boolean managesMembers() {
    return this == ADMIN || this == MANAGER;
  }
}
