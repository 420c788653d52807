package ai.dstack.sdk.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * dstack's HTTP transport: every call a POST to {@code <url>/api/...} with the token and the API
 * version, a JSON body (or none), retried while the server is unavailable as the {@link
 * RetryPolicy} says; the one GET ({@code metrics/job}) the same way, its query in the URL. Over
 * {@link HttpURLConnection} (HTTP/1.1, keep-alive): it costs a tenth of {@code
 * java.net.http.HttpClient}'s start (which sets up TLS and its executors even for plain HTTP), a
 * quarter of a second a command line would spend before its first call.
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
  private final Duration connectTimeout;
  private final RetryPolicy retry;
  private final Duration requestTimeout;

  Transport(
      String baseUrl,
      String token,
      String apiVersion,
      Duration connectTimeout,
      RetryPolicy retry,
      Duration requestTimeout) {
    this.baseUrl = baseUrl;
    this.token = token;
    this.apiVersion = apiVersion;
    this.connectTimeout = connectTimeout;
    this.retry = retry;
    this.requestTimeout = requestTimeout;
  }

  /** A server's answer. */
  private record Answer(int status, String body) {}

  /** Thrown when the request never reached the server (refused, unresolved, connect timeout). */
  private static final class NotSent extends IOException {
    NotSent(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  /**
   * POSTs {@code body} (null: an empty POST) to {@code path} and reads the answer as {@code type}
   * (null: the answer is ignored, and null returned).
   */
  <T> T post(String path, Object body, JavaType type, Idempotency idempotency) {
    URI url = URI.create(baseUrl + path);
    return call(url, "POST", body == null ? null : json(url, body), type, idempotency);
  }

  /** GETs {@code pathAndQuery} (its query already encoded) and reads the answer as {@code type}. */
  <T> T get(String pathAndQuery, JavaType type) {
    return call(URI.create(baseUrl + pathAndQuery), "GET", null, type, Idempotency.IDEMPOTENT);
  }

  private <T> T call(URI url, String method, byte[] json, JavaType type, Idempotency idempotency) {
    for (int attempt = 1; ; attempt++) {
      Answer response;
      try {
        response = send(url, method, json);
      } catch (IOException e) {
        // A refused connection never reached the server: safe to repeat whatever the call.
        boolean neverSent = e instanceof NotSent;
        if ((neverSent || idempotency == Idempotency.IDEMPOTENT) && attempt < retry.maxAttempts()) {
          pause(retry.delayAfter(attempt), url);
          continue;
        }
        Throwable cause = neverSent ? e.getCause() : e;
        throw new DstackException.ServerUnavailable(
            "Failed to connect to dstack server "
                + baseUrl
                + " ("
                + describe(cause)
                + (attempt > 1 ? ", " + attempt + " attempts" : "")
                + "). Check that the server runs and that the URL is right.",
            0,
            url,
            attempt,
            cause);
      }
      int status = response.status();
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

  /**
   * One call: a POST with {@code json} as the body (null: an empty body, and no Content-Type), or a
   * GET (no body).
   */
  private Answer send(URI url, String method, byte[] json) throws IOException {
    var connection = (HttpURLConnection) url.toURL().openConnection();
    connection.setConnectTimeout(millis(connectTimeout));
    connection.setReadTimeout(millis(requestTimeout));
    connection.setRequestMethod(method);
    connection.setRequestProperty("Authorization", "Bearer " + token);
    connection.setRequestProperty("X-API-VERSION", apiVersion);
    connection.setRequestProperty("Accept", "application/json");
    if (json != null) {
      // dstack's client sends some calls without a body (and without a Content-Type).
      connection.setRequestProperty("Content-Type", "application/json");
    }
    boolean post = method.equals("POST");
    byte[] payload = json == null ? new byte[0] : json;
    if (post) {
      connection.setDoOutput(true);
      connection.setFixedLengthStreamingMode(payload.length);
    }
    try {
      connection.connect();
    } catch (ConnectException | UnknownHostException | SocketTimeoutException e) {
      throw new NotSent(e);
    }
    if (post) {
      try (OutputStream out = connection.getOutputStream()) {
        out.write(payload);
      }
    }
    int status = connection.getResponseCode();
    InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
    String text = "";
    if (in != null) {
      try (in) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
    return new Answer(status, text);
  }

  private static byte[] json(URI url, Object body) {
    try {
      return WireJson.MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write the request body of " + url, e);
    }
  }

  private static int millis(Duration duration) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, duration.toMillis()));
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
