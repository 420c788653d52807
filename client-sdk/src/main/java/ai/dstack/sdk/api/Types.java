package ai.dstack.sdk.api;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The JSON types the endpoints answer with. */
final class Types {
  private Types() {}

  static JavaType of(Class<?> type) {
    return WireJson.MAPPER.getTypeFactory().constructType(type);
  }

  static JavaType listOf(Class<?> type) {
    return WireJson.MAPPER.getTypeFactory().constructCollectionType(List.class, type);
  }

  static final JavaType JSON = of(JsonNode.class);

  /** Paths inside a project: {@code /api/project/<project><path>}. */
  static String project(String project, String path) {
    return "/api/project/" + segment(project) + path;
  }

  /** A project's name as a path segment. */
  static String segment(String project) {
    if (project == null || project.isBlank()) {
      throw new IllegalArgumentException("a project name is required");
    }
    return URLEncoder.encode(project, StandardCharsets.UTF_8);
  }
}
