package ai.dstack.core.runs.wire;

import ai.dstack.core.profiles.ProfileParams;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The values the client's models accept in enum-typed fields: anything else fails validation there
 * and the CLI shows a traceback, so records check them when made.
 */
final class WireValues {
  private WireValues() {}

  static final Set<String> AVAILABILITIES =
      Set.of("unknown", "available", "not_available", "no_quota", "no_balance", "idle", "busy");
  static final Set<String> INSTANCE_RUNTIMES = Set.of("shim", "runner");
  static final Set<String> INSTANCE_STATUSES =
      Set.of("pending", "provisioning", "idle", "busy", "terminating", "terminated");
  static final Set<String> FLEET_STATUSES =
      Set.of("submitted", "active", "terminating", "terminated", "failed");
  static final Set<String> HEALTH_STATUSES = Set.of("healthy", "warning", "failure");
  static final Set<String> CPU_ARCHITECTURES = Set.of("x86", "arm");
  static final Set<String> GPU_VENDORS = Set.of("nvidia", "amd", "google", "intel", "tenstorrent");

  /** The value, if it is one of {@code allowed} (or null when {@code nullable}). */
  static String check(String what, String value, Set<String> allowed, boolean nullable) {
    if (value == null && nullable) {
      return null;
    }
    if (value == null || !allowed.contains(value)) {
      throw new IllegalArgumentException(
          what
              + " must be one of "
              + List.copyOf(new java.util.TreeSet<>(allowed))
              + ", got "
              + value);
    }
    return value;
  }

  /** A backend type the client knows ({@code local} is not one: see {@link BackendTypes}). */
  static String backend(String value, boolean nullable) {
    if (value == null && nullable) {
      return null;
    }
    if (value == null || !ProfileParams.BACKEND_TYPES.contains(value)) {
      throw new IllegalArgumentException(
          "backend must be a dstack backend type, got " + value + "; see BackendTypes.toWire");
    }
    return value;
  }

  /** An id the client validates as a version 4 UUID. */
  static UUID uuid4(String what, UUID id) {
    if (id == null || id.version() != 4) {
      throw new IllegalArgumentException(what + " must be a version 4 UUID, got " + id);
    }
    return id;
  }
}
