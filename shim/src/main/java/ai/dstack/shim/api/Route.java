package ai.dstack.shim.api;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A method and a path pattern such as {@code /api/tasks/{id}/terminate}, and what answers it.
 *
 * @param handler returns the answer's JSON body (a record), or null for an empty object
 */
record Route(String method, List<String> pattern, Handler handler) {

  /** Answers one request. */
  @FunctionalInterface
  interface Handler {
    Object handle(Request request) throws Exception;
  }

  /** A request: its path parameters and raw body. */
  record Request(Map<String, String> params, byte[] body) {
    String param(String name) {
      return params.get(name);
    }
  }

  static Route of(String method, String pattern, Handler handler) {
    return new Route(method, segments(pattern), handler);
  }

  /** The path parameters if the path fits the pattern. */
  Optional<Map<String, String>> match(List<String> path) {
    if (path.size() != pattern.size()) {
      return Optional.empty();
    }
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < path.size(); i++) {
      String expected = pattern.get(i);
      if (expected.startsWith("{") && expected.endsWith("}")) {
        if (path.get(i).isEmpty()) {
          return Optional.empty();
        }
        params.put(expected.substring(1, expected.length() - 1), path.get(i));
      } else if (!expected.equals(path.get(i))) {
        return Optional.empty();
      }
    }
    return Optional.of(params);
  }

  /** {@code /api/tasks/x} as {@code [api, tasks, x]}; a trailing slash is ignored. */
  static List<String> segments(String path) {
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    if (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("/", -1));
  }
}
