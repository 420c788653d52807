package ai.dstack.orchestrator.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for dstack's API, sending what dstack's Python client sends. */
public final class Api {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String baseUrl;

  public Api(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /**
   * An answer.
   *
   * @param status the HTTP status
   * @param text the body as text
   */
  public record Response(int status, String text) {

    /** The body as JSON (a missing node for an empty body). */
    public JsonNode json() {
      return text.isEmpty() ? JSON.missingNode() : JSON.readTree(text);
    }

    /** {@code detail[0].code} of dstack's 400 body. */
    public String errorCode() {
      return json().path("detail").path(0).path("code").asString(null);
    }

    /** {@code detail[0].msg} of dstack's 400 body. */
    public String errorMessage() {
      return json().path("detail").path(0).path("msg").asString(null);
    }

    @Override
    public String toString() {
      return status + " " + text;
    }
  }

  /** POSTs {@code body} as JSON (null: an empty POST without Content-Type, as the client sends). */
  public Response post(String path, String token, Object body) {
    return post(path, token, body, Map.of("X-API-VERSION", "0.22.5"));
  }

  /** POSTs with extra headers. */
  public Response post(String path, String token, Object body, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path));
    if (body == null) {
      request.POST(HttpRequest.BodyPublishers.noBody());
    } else {
      String text = body instanceof String s ? s : JSON.writeValueAsString(body);
      request.header("Content-Type", "application/json");
      request.POST(HttpRequest.BodyPublishers.ofString(text));
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    headers.forEach(request::header);
    return send(request.build());
  }

  /** A GET, for the few endpoints that are not POSTs. */
  public Response get(String path) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET().build());
  }

  /** A GET as the user of {@code token}, as dstack's client sends {@code metrics/job}. */
  public Response get(String path, String token) {
    return send(
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Authorization", "Bearer " + token)
            .header("X-API-VERSION", "0.22.5")
            .GET()
            .build());
  }

  private static Response send(HttpRequest request) {
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach " + request.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
