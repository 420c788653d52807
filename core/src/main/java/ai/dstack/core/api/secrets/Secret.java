package ai.dstack.core.api.secrets;

import java.util.UUID;

/**
 * A project's secret as dstack's API shows it.
 *
 * @param id UUID v4
 * @param name {@code [A-Za-z0-9-_]{1,200}}, unique in its project
 * @param value the plaintext value; null in {@code secrets/list}, which never shows values
 */
public record Secret(UUID id, String name, String value) {

  /** Masks the value, as dstack's model does, so a logged secret does not leak. */
  @Override
  public String toString() {
    return "Secret[id=" + id + ", name=" + name + ", value=" + Masked.of(value) + "]";
  }
}
