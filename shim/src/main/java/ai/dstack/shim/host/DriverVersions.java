package ai.dstack.shim.host;

import java.util.Locale;
import java.util.Set;

/** Driver versions as the SMI tools print them, without their "not available" placeholders. */
final class DriverVersions {
  private DriverVersions() {}

  private static final Set<String> PLACEHOLDERS =
      Set.of("N/A", "[N/A]", "UNKNOWN", "[UNKNOWN]", "[NOT SUPPORTED]", "[NOT AVAILABLE]");

  /** The trimmed version, or "" for null and placeholders such as {@code [N/A]}. */
  static String normalize(String value) {
    if (value == null) {
      return "";
    }
    String trimmed = value.strip();
    return PLACEHOLDERS.contains(trimmed.toUpperCase(Locale.ROOT)) ? "" : trimmed;
  }
}
