package ai.dstack.core.api.events;

import java.util.List;

/**
 * The kinds of entity an event can target, by their wire value ({@code EventTarget.type} is a plain
 * string on the wire, so a newer server's kinds still read).
 */
public final class EventTargetType {
  private EventTargetType() {}

  public static final String PROJECT = "project";
  public static final String USER = "user";
  public static final String FLEET = "fleet";
  public static final String INSTANCE = "instance";
  public static final String RUN = "run";
  public static final String JOB = "job";
  public static final String VOLUME = "volume";
  public static final String GATEWAY = "gateway";
  public static final String GATEWAY_REPLICA = "gateway-replica";
  public static final String SECRET = "secret";
  public static final String PRESET = "preset";

  /** Every kind dstack 0.22.5 knows, in its order. */
  public static final List<String> ALL =
      List.of(
          PROJECT,
          USER,
          FLEET,
          INSTANCE,
          RUN,
          JOB,
          VOLUME,
          GATEWAY,
          GATEWAY_REPLICA,
          SECRET,
          PRESET);
}
