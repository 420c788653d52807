package ai.dstack.sdk;

import java.util.Objects;

/**
 * One project of {@code ~/.dstack/config.yml}: where its server is and the token to use there.
 *
 * @param name the project's name on the server
 * @param url the server's URL, e.g. {@code http://127.0.0.1:3000}
 * @param token the user's token
 * @param isDefault whether it is the project used when none is named
 */
public record ProjectConfig(String name, String url, String token, boolean isDefault) {
  /** A project; name, URL and token are required. */
  public ProjectConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(token, "token");
  }

  /** Hides the token, so a logged config does not leak it. */
  @Override
  public String toString() {
    return "ProjectConfig[name=" + name + ", url=" + url + ", default=" + isDefault + "]";
  }
}
