package ai.dstack.sdk.api;

import ai.dstack.core.api.ErrorCode;
import ai.dstack.core.yaml.ConfigError;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** Turns an error answer of the server into the {@link DstackException} it means. */
final class ErrorBodies {
  private ErrorBodies() {}

  /**
   * The exception for an answer of {@code status} (400 or more, other than 502-504) with {@code
   * body}.
   */
  static DstackException toException(int status, String body, URI url) {
    JsonNode json = parse(body);
    JsonNode detail = json.path("detail");
    // dstack's 400: exactly one item; 401, 403 and 404: an object.
    JsonNode item = detail.isArray() && detail.size() == 1 ? detail.get(0) : detail;
    String code = item.path("code").isTextual() ? item.path("code").asText() : null;
    String msg = item.path("msg").isTextual() ? item.path("msg").asText() : null;
    return switch (status) {
      case 401 ->
          new DstackException.Unauthorized(
              orElse(msg, "The server does not know the token") + " (" + url + ")", url);
      case 403 ->
          new DstackException.Forbidden(
              "Access to " + url + " is denied" + (msg == null ? "" : ": " + msg), url);
      case 404 -> new DstackException.NotFound("Not found: " + url, status, url);
      case 422 ->
          new DstackException.ServerError(
              "Server validation error: " + (json.isMissingNode() ? body : detail.toString()),
              status,
              null,
              url,
              null);
      default -> {
        if (status == 400 && ErrorCode.RESOURCE_NOT_EXISTS.wireValue().equals(code)) {
          yield new DstackException.NotFound(orElse(msg, "Resource not found"), status, url);
        }
        List<ConfigError> fieldErrors = fieldErrors(item, msg);
        if (status == 400 && !fieldErrors.isEmpty()) {
          yield new DstackException.InvalidConfiguration(
              orElse(msg, "Invalid configuration"), fieldErrors, status, url);
        }
        if (msg == null) {
          msg = "Status code " + status + " when requesting " + url;
        }
        yield new DstackException.ServerError(msg, status, code, url, null);
      }
    };
  }

  // dstack's ServerClientError: "fields": [["configuration", "resources", "gpu"], ...]
  private static List<ConfigError> fieldErrors(JsonNode item, String msg) {
    var errors = new ArrayList<ConfigError>();
    for (JsonNode field : item.path("fields")) {
      var path = new ArrayList<String>();
      if (field.isArray()) {
        field.forEach(part -> path.add(part.asText()));
      } else {
        path.add(field.asText());
      }
      errors.add(
          new ConfigError("request", 0, 0, String.join(".", path), orElse(msg, "is invalid")));
    }
    return errors;
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
    try {
      return WireJson.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
  }

  private static String orElse(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
