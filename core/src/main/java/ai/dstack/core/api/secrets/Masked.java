package ai.dstack.core.api.secrets;

/** How a secret value shows in {@code toString}: as many stars as it has characters. */
final class Masked {
  private Masked() {}

  static String of(String value) {
    return value == null ? "*" : "*".repeat(value.length());
  }
}
