package ai.dstack.shim.api;

/** An HTTP error answer: status, short code and message, sent as an ErrorResponse. */
final class ApiException extends RuntimeException {
  private final int status;
  private final String code;

  ApiException(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, "bad_request", message);
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }
}
