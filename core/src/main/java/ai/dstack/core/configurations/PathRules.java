package ai.dstack.core.configurations;

import java.util.ArrayList;

/** Path rules of mount points and file mappings, as dstack applies them (POSIX and Windows). */
final class PathRules {
  private PathRules() {}

  /** The path normalized as POSIX reads it: {@code /a/./b//} is {@code /a/b}. */
  static String normalizePosix(String path) {
    String root;
    if (path.startsWith("//") && !path.startsWith("///")) {
      root = "//"; // POSIX leaves the meaning of exactly two leading slashes to the system
    } else if (path.startsWith("/")) {
      root = "/";
    } else {
      root = "";
    }
    var parts = new ArrayList<String>();
    for (var part : path.split("/")) {
      if (!part.isEmpty() && !part.equals(".")) {
        parts.add(part);
      }
    }
    var joined = root + String.join("/", parts);
    return joined.isEmpty() ? "." : joined;
  }

  /** Whether a POSIX path has a {@code ..} segment. */
  static boolean climbs(String path) {
    for (var part : path.split("/")) {
      if (part.equals("..")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the path is an absolute Windows path: a drive and a root ({@code C:\x}, {@code C:/x})
   * or a UNC share ({@code \\server\share}).
   */
  static boolean isWindowsAbsolute(String path) {
    var p = path.replace('/', '\\');
    if (p.startsWith("\\\\") && (p.length() < 3 || p.charAt(2) != '\\')) {
      int index = p.indexOf('\\', 2);
      if (index != -1) {
        int index2 = p.indexOf('\\', index + 1);
        if (index2 != index + 1) {
          return true;
        }
      }
    }
    if (p.length() >= 3 && p.charAt(1) == ':' && isAsciiLetter(p.charAt(0))) {
      return p.charAt(2) == '\\';
    }
    return false;
  }

  static boolean isAsciiLetter(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
  }
}
