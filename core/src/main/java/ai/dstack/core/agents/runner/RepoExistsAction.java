package ai.dstack.core.agents.runner;

import com.fasterxml.jackson.annotation.JsonValue;

/** What the runner does when the repo dir is not empty (dstack's {@code RepoExistsAction}). */
public enum RepoExistsAction {
  /** Fail the job: the default since dstack 0.20.0. */
  ERROR("error"),
  /** Keep what is there and skip the checkout: what runners did before 0.20.0. */
  SKIP("skip");

  private final String wireValue;

  RepoExistsAction(String wireValue) {
    this.wireValue = wireValue;
  }

  /** The JSON value. */
  @JsonValue
  public String wireValue() {
    return wireValue;
  }
}
