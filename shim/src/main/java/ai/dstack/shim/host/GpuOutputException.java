package ai.dstack.shim.host;

/** A GPU tool's output that cannot be read. */
public final class GpuOutputException extends Exception {
  public GpuOutputException(String message) {
    super(message);
  }

  public GpuOutputException(String message, Throwable cause) {
    super(message, cause);
  }
}
