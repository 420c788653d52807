package ai.dstack.orchestrator.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dstack version as Python's {@code packaging.version} reads it (PEP 440: release numbers, then
 * optional pre-, post- and dev-release parts), ordered the same way.
 *
 * @param release the release numbers, e.g. {@code [0, 22, 5]}
 * @param preKind 0 for none, else 1 for alpha, 2 for beta, 3 for release candidate
 * @param pre the pre-release number
 * @param post the post-release number, or -1 for none
 * @param dev the dev-release number, or -1 for none
 */
public record ClientVersion(int[] release, int preKind, int pre, int post, int dev)
    implements Comparable<ClientVersion> {

  /** The dstack version whose API this server speaks, reported by {@code server/get_info}. */
  public static final String SERVER_VERSION = "0.22.5";

  private static final Pattern PEP_440 =
      Pattern.compile(
          "v?(?<release>\\d+(?:\\.\\d+)*)"
              + "(?:[-_.]?(?<preKind>a|b|c|rc|alpha|beta|pre|preview)[-_.]?(?<pre>\\d*))?"
              + "(?:-(?<implicitPost>\\d+)|[-_.]?(?:post|rev|r)[-_.]?(?<post>\\d*))?"
              + "(?:[-_.]?dev[-_.]?(?<dev>\\d*))?"
              + "(?:\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?");

  /**
   * The version in an {@code X-API-VERSION} header, or empty for one that opts out of the check
   * ({@code latest}, or any 0.0.0 release, as dstack's dev builds send).
   *
   * @throws IllegalArgumentException for text that is no version
   */
  public static Optional<ClientVersion> parse(String text) {
    String trimmed = text.strip().toLowerCase(Locale.ROOT);
    if (trimmed.equals("latest")) {
      return Optional.empty();
    }
    Matcher m = PEP_440.matcher(trimmed);
    if (!m.matches()) {
      throw new IllegalArgumentException("Invalid version: " + text);
    }
    int[] release =
        Arrays.stream(m.group("release").split("\\.")).mapToInt(Integer::parseInt).toArray();
    if (Arrays.stream(release).allMatch(n -> n == 0)) {
      return Optional.empty();
    }
    int preKind = 0;
    if (m.group("preKind") != null) {
      preKind =
          switch (m.group("preKind")) {
            case "a", "alpha" -> 1;
            case "b", "beta" -> 2;
            default -> 3;
          };
    }
    int post = -1;
    if (m.group("implicitPost") != null) {
      post = Integer.parseInt(m.group("implicitPost"));
    } else if (m.group("post") != null) {
      post = number(m.group("post"));
    }
    int dev = m.group("dev") == null ? -1 : number(m.group("dev"));
    return Optional.of(new ClientVersion(release, preKind, number(m.group("pre")), post, dev));
  }

  /**
   * dstack's rule: a client newer than the server is refused when its major or minor version is
   * higher; a newer patch release, and any older client, are served.
   */
  public boolean isIncompatibleWith(ClientVersion server) {
    return compareTo(server) > 0 && (major() > server.major() || minor() > server.minor());
  }

  /** The first release number. */
  public int major() {
    return release[0];
  }

  /** The second release number, 0 when absent. */
  public int minor() {
    return release.length > 1 ? release[1] : 0;
  }

  @Override
  public int compareTo(ClientVersion other) {
    int length = Math.max(release.length, other.release.length);
    for (int i = 0; i < length; i++) {
      int c = Integer.compare(at(release, i), at(other.release, i));
      if (c != 0) {
        return c;
      }
    }
    int c = Long.compare(preKey(), other.preKey());
    if (c == 0) {
      c = Integer.compare(post, other.post);
    }
    if (c == 0) {
      c = Long.compare(devKey(), other.devKey());
    }
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClientVersion v && compareTo(v) == 0;
  }

  @Override
  public int hashCode() {
    int[] trimmed = release;
    int end = trimmed.length;
    while (end > 1 && trimmed[end - 1] == 0) {
      end--;
    }
    return Arrays.hashCode(Arrays.copyOf(trimmed, end)) * 31 + (int) preKey() + post * 7 + dev;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < release.length; i++) {
      text.append(i == 0 ? "" : ".").append(release[i]);
    }
    if (preKind > 0) {
      text.append(preKind == 1 ? "a" : preKind == 2 ? "b" : "rc").append(pre);
    }
    if (post >= 0) {
      text.append(".post").append(post);
    }
    if (dev >= 0) {
      text.append(".dev").append(dev);
    }
    return text.toString();
  }

  // PEP 440: a bare dev release sorts before every pre-release; a final release after them.
  private long preKey() {
    if (preKind == 0) {
      return post < 0 && dev >= 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return preKind * 1_000_000_000L + pre;
  }

  private long devKey() {
    return dev < 0 ? Long.MAX_VALUE : dev;
  }

  private static int at(int[] numbers, int i) {
    return i < numbers.length ? numbers[i] : 0;
  }

  private static int number(String digits) {
    return digits == null || digits.isEmpty() ? 0 : Integer.parseInt(digits);
  }
}
