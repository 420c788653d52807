package ai.dstack.core.api;

import com.fasterxml.jackson.annotation.JsonValue;

/** The error codes the dstack 0.22.5 client knows in {@code detail[0].code}. */
public enum ErrorCode {
  ERROR("error"),
  RESOURCE_EXISTS("resource_exists"),
  RESOURCE_NOT_EXISTS("resource_not_exists"),
  INVALID_CREDENTIALS("invalid_credentials"),
  BACKEND_NOT_AVAILABLE("backend_not_available"),
  REPO_DOES_NOT_EXIST("repo_does_not_exist"),
  GATEWAY_ERROR("gateway_error");

  private final String wireValue;

  ErrorCode(String wireValue) {
    this.wireValue = wireValue;
  }

  /** The JSON value. */
  @JsonValue
  public String wireValue() {
    return wireValue;
  }
}
