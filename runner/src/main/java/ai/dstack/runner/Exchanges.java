package ai.dstack.runner;

import ai.dstack.core.agents.runner.ErrorResponse;
import ai.dstack.core.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reading requests and writing answers: JSON in dstack's wire format, errors as {@link
 * ErrorResponse}.
 */
final class Exchanges {
  /** The largest JSON body accepted: a submit with a whole run in it fits many times. */
  static final int MAX_JSON_BYTES = 8 << 20;

  private Exchanges() {}

  /** The JSON body as {@code type}; throws {@link ApiError} with what is wrong with it. */
  static <T> T readJson(HttpExchange exchange, Class<T> type) throws IOException {
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    if (contentType != null
        && !contentType.split(";")[0].strip().toLowerCase(Locale.ROOT).equals("application/json")) {
      throw ApiError.unsupportedMediaType(
          "Content-Type must be application/json, not " + contentType);
    }
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_JSON_BYTES + 1);
    }
    if (body.length > MAX_JSON_BYTES) {
      throw ApiError.tooLarge("the request body is larger than " + MAX_JSON_BYTES + " bytes");
    }
    if (isBlank(body)) {
      throw ApiError.badRequest("the request body must be a JSON object, and it is empty");
    }
    try {
      T value = Json.MAPPER.readValue(body, type);
      if (value == null) {
        throw ApiError.badRequest("the request body must be a JSON object, not null");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest(describe(e));
    }
  }

  static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** 200 with no body, as dstack's runner answers calls that return nothing. */
  static void sendOk(HttpExchange exchange) throws IOException {
    exchange.sendResponseHeaders(200, -1);
    exchange.close();
  }

  static void sendError(HttpExchange exchange, int status, String message) throws IOException {
    sendJson(exchange, status, new ErrorResponse(message));
  }

  /** The query parameter {@code name}, decoded; null when absent. */
  static String queryParameter(HttpExchange exchange, String name) {
    String query = exchange.getRequestURI().getRawQuery();
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      if (key.equals(name)) {
        return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  /** What is wrong with a JSON body, in one line: where, and what Jackson found. */
  static String describe(JsonProcessingException e) {
    String where = "";
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      var path = new StringBuilder();
      for (JsonMappingException.Reference ref : mapping.getPath()) {
        if (ref.getFieldName() != null) {
          path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
        } else if (ref.getIndex() >= 0) {
          path.append('[').append(ref.getIndex()).append(']');
        }
      }
      where = " at " + path;
    }
    String problem = e.getOriginalMessage();
    if (e instanceof ValueInstantiationException && e.getCause() != null) {
      problem = String.valueOf(e.getCause().getMessage());
    }
    var location = e.getLocation();
    String position =
        location != null && location.getLineNr() > 0
            ? " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")"
            : "";
    String kind = e instanceof JsonMappingException ? "invalid request body" : "malformed JSON";
    return kind + where + ": " + firstLine(problem) + position;
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "unreadable";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (!Character.isWhitespace(b)) {
        return false;
      }
    }
    return true;
  }
}
