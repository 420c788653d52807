package ai.dstack.sdk.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * dstack's HTTP transport: every call a POST to {@code <url>/api/...} with the token and the API
 * version, a JSON body (or none), retried while the server is unavailable as the {@link
 * RetryPolicy} says.
 */
final class Transport {

  /** Statuses of a proxy whose server is down: retried like a refused connection. */
  private static final Set<Integer> UNAVAILABLE = Set.of(502, 503, 504);

  /** Whether a call may be repeated when it is not known to have reached the server. */
  enum Idempotency {
    /** A read or a plan: retried after any failure to get an answer. */
    IDEMPOTENT,
    /** A change: retried only when the request never left (connection refused). */
    CHANGE
  }

  private final String baseUrl;
  private final String token;
  private final String apiVersion;
  private final HttpClient http;
  private final RetryPolicy retry;
  private final Duration requestTimeout;

  Transport(
      String baseUrl,
      String token,
      String apiVersion,
      HttpClient http,
      RetryPolicy retry,
      Duration requestTimeout) {
    this.baseUrl = baseUrl;
    this.token = token;
    this.apiVersion = apiVersion;
    this.http = http;
    this.retry = retry;
    this.requestTimeout = requestTimeout;
  }

  /**
   * POSTs {@code body} (null: an empty POST) to {@code path} and reads the answer as {@code type}
   * (null: the answer is ignored, and null returned).
   */
  <T> T post(String path, Object body, JavaType type, Idempotency idempotency) {
    URI url = URI.create(baseUrl + path);
    HttpRequest request = request(url, body);
    for (int attempt = 1; ; attempt++) {
      HttpResponse<String> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException | UnresolvedAddressException e) {
        // A refused connection never reached the server: safe to repeat whatever the call.
        boolean neverSent =
            e instanceof ConnectException || e instanceof HttpConnectTimeoutException;
        if ((neverSent || idempotency == Idempotency.IDEMPOTENT) && attempt < retry.maxAttempts()) {
          pause(retry.delayAfter(attempt), url);
          continue;
        }
        throw new DstackException.ServerUnavailable(
            "Failed to connect to dstack server "
                + baseUrl
                + " ("
                + describe(e)
                + (attempt > 1 ? ", " + attempt + " attempts" : "")
                + "). Check that the server runs and that the URL is right.",
            0,
            url,
            attempt,
            e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw cancelled(url, e);
      }
      int status = response.statusCode();
      if (UNAVAILABLE.contains(status)) {
        if (idempotency == Idempotency.IDEMPOTENT && attempt < retry.maxAttempts()) {
          pause(retry.delayAfter(attempt), url);
          continue;
        }
        throw new DstackException.ServerUnavailable(
            "The dstack server " + baseUrl + " is unavailable (status code " + status + ")",
            status,
            url,
            attempt,
            null);
      }
      if (status >= 400) {
        throw ErrorBodies.toException(status, response.body(), url);
      }
      return type == null ? null : read(response.body(), type, url, status);
    }
  }

  private HttpRequest request(URI url, Object body) {
    var builder =
        HttpRequest.newBuilder(url)
            .timeout(requestTimeout)
            .header("Authorization", "Bearer " + token)
            .header("X-API-VERSION", apiVersion)
            .header("Accept", "application/json");
    if (body == null) {
      // dstack's client sends some calls without a body (and without a Content-Type).
      return builder.POST(HttpRequest.BodyPublishers.noBody()).build();
    }
    String json;
    try {
      json = WireJson.MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write the request body of " + url, e);
    }
    return builder
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
        .build();
  }

  private static <T> T read(String body, JavaType type, URI url, int status) {
    try {
      return WireJson.MAPPER.readValue(body, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      String text = body.length() > 500 ? body.substring(0, 500) + "..." : body;
      throw new DstackException.ServerError(
          "Cannot read the answer of " + url + " as " + type + ": " + e.getMessage() + "\n" + text,
          status,
          null,
          url,
          e);
    }
  }

  private static void pause(Duration delay, URI url) {
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw cancelled(url, e);
    }
  }

  private static CancellationException cancelled(URI url, InterruptedException e) {
    var cancelled = new CancellationException("Interrupted while calling " + url);
    cancelled.initCause(e);
    return cancelled;
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
