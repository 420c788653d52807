package ai.dstack.core.runs.wire;

/**
 * A run spec the server refuses, with dstack's message for it (dstack's {@code ServerClientError}):
 * the API answers it as a 400 with code {@code error}.
 */
public final class InvalidRunSpecException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidRunSpecException(String message) {
    super(message);
  }
}
