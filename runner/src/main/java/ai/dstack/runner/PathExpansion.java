package ai.dstack.runner;

import java.nio.file.Path;

/**
 * How dstack's runner reads the paths of a job spec: {@code ~} is the home, relative is under a
 * base.
 */
final class PathExpansion {
  private PathExpansion() {}

  /**
   * {@code path} with {@code ~} and {@code ~/x} under {@code home}, a relative path under {@code
   * base}; throws IllegalArgumentException for {@code ~user}, which dstack does not support.
   */
  static Path expand(String path, Path base, Path home) {
    if (path.equals("~")) {
      return home.normalize();
    }
    if (path.startsWith("~/")) {
      return home.resolve(path.substring(2)).normalize();
    }
    if (path.startsWith("~")) {
      throw new IllegalArgumentException("~user paths are not supported: " + path);
    }
    Path expanded = Path.of(path);
    return (base != null && !expanded.isAbsolute() ? base.resolve(expanded) : expanded).normalize();
  }
}
