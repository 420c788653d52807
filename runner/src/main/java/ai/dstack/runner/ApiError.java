package ai.dstack.runner;

/** A request the runner refuses: its HTTP status and a message for the caller, in one sentence. */
final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  ApiError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }

  static ApiError badRequest(String message) {
    return new ApiError(400, message);
  }

  static ApiError notFound(String message) {
    return new ApiError(404, message);
  }

  static ApiError methodNotAllowed(String message) {
    return new ApiError(405, message);
  }

  static ApiError conflict(String message) {
    return new ApiError(409, message);
  }

  static ApiError tooLarge(String message) {
    return new ApiError(413, message);
  }

  static ApiError unsupportedMediaType(String message) {
    return new ApiError(415, message);
  }
}
