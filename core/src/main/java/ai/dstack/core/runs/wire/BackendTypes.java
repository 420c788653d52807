package ai.dstack.core.runs.wire;

import ai.dstack.core.profiles.ProfileParams;
import java.util.Locale;

/**
 * Backend names on dstack's wire. dstack's {@code BackendType} has no {@code local} nor {@code
 * ssh}: instances of SSH fleets are {@code remote}, and so must be anything else the client does
 * not know, or it fails to read the response.
 */
public final class BackendTypes {
  private BackendTypes() {}

  /** The backend type fleets of existing hosts have (shown as "ssh" by the CLI). */
  public static final String REMOTE = "remote";

  /** The backend as the client can read it: itself when dstack knows it, else {@value #REMOTE}. */
  public static String toWire(String backend) {
    if (backend == null) {
      return REMOTE;
    }
    var lower = backend.toLowerCase(Locale.ROOT);
    return ProfileParams.BACKEND_TYPES.contains(lower) ? lower : REMOTE;
  }
}
