package ai.dstack.activities.agents;

import ai.dstack.core.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** HTTP to one agent (a shim or a runner) with the JDK's client: JSON, errors in one sentence. */
final class AgentHttp {
  private static final int MAX_ERROR_CHARS = 500;

  private final HttpClient client;
  private final String agent;
  private final String base;

  /**
   * @param client the shared client (its connect timeout applies)
   * @param agent what to call the agent in messages, e.g. {@code the shim}
   * @param host its host name or address
   * @param port its port
   */
  AgentHttp(HttpClient client, String agent, String host, int port) {
    this.client = client;
    boolean ipv6 = host.indexOf(':') >= 0 && !host.startsWith("[");
    String authority = (ipv6 ? "[" + host + "]" : host) + ":" + port;
    this.agent = agent + " at " + authority;
    this.base = "http://" + authority;
  }

  /** A client for agents: HTTP/1.1 (the agents speak nothing else), this connect timeout. */
  static HttpClient newClient(Duration connectTimeout) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /** e.g. {@code the runner at 10.0.0.5:10999}. */
  String agent() {
    return agent;
  }

  /** An answer: its status and body. */
  record Answer(int status, byte[] body) {

    boolean ok() {
      return status == 200;
    }

    /** The agent's error message ({@code ErrorResponse.message}), else the body as text. */
    String error() {
      String text = new String(body, StandardCharsets.UTF_8).strip();
      try {
        JsonNode json = Json.MAPPER.readTree(body);
        if (json != null && json.hasNonNull("message")) {
          text = json.get("message").asText();
        }
      } catch (IOException e) {
        // not JSON: the text it is
      }
      if (text.isEmpty()) {
        text = "HTTP " + status;
      }
      return text.length() > MAX_ERROR_CHARS ? text.substring(0, MAX_ERROR_CHARS) + "…" : text;
    }
  }

  Answer get(String path, Duration timeout) throws AgentUnavailableException {
    return send("GET " + path, request(path, timeout).GET().build());
  }

  Answer postJson(String path, Object body, Duration timeout) throws AgentUnavailableException {
    return send(
        "POST " + path,
        request(path, timeout)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofByteArray(
                    Json.write(body).getBytes(StandardCharsets.UTF_8)))
            .build());
  }

  Answer postEmpty(String path, Duration timeout) throws AgentUnavailableException {
    return send(
        "POST " + path, request(path, timeout).POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  Answer post(String path, String contentType, HttpRequest.BodyPublisher body, Duration timeout)
      throws AgentUnavailableException {
    return send(
        "POST " + path,
        request(path, timeout).header("Content-Type", contentType).POST(body).build());
  }

  /** The body of a 200 answer as {@code type}. */
  <T> T read(Answer answer, Class<T> type, String call) throws AgentUnavailableException {
    try {
      T value = Json.MAPPER.readValue(answer.body(), type);
      if (value == null) {
        throw new AgentUnavailableException(agent + " answered " + call + " with null");
      }
      return value;
    } catch (IOException e) {
      throw new AgentUnavailableException(
          agent + " answered " + call + " with what is not a " + type.getSimpleName());
    }
  }

  /** Unavailable for a server error, else the answer as it is. */
  Answer requireNoServerError(Answer answer, String call) throws AgentUnavailableException {
    if (answer.status() >= 500) {
      throw new AgentUnavailableException(
          agent + " failed " + call + " (HTTP " + answer.status() + "): " + answer.error());
    }
    return answer;
  }

  private HttpRequest.Builder request(String path, Duration timeout) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
  }

  private Answer send(String call, HttpRequest request) throws AgentUnavailableException {
    try {
      HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new Answer(response.statusCode(), response.body());
    } catch (HttpConnectTimeoutException e) {
      throw new AgentUnavailableException("cannot reach " + agent + ": the connection timed out");
    } catch (ConnectException e) {
      throw new AgentUnavailableException("cannot reach " + agent + ": connection refused");
    } catch (HttpTimeoutException e) {
      throw new AgentUnavailableException(agent + " did not answer " + call + " in time");
    } catch (IOException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new AgentUnavailableException("lost " + agent + " during " + call + ": " + why);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw AgentFailures.interrupted();
    }
  }
}
