package ai.dstack.shim.docker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks the Docker engine's {@code /_ping} over a plain socket: a few milliseconds, where loading
 * docker-java first would cost the shim's start half a second. Used to choose the mode before
 * listening; the client itself is built afterwards.
 */
public final class DockerPing {
  private DockerPing() {}

  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  /**
   * Why the engine at {@code DOCKER_HOST} (default {@code unix:///var/run/docker.sock}) does not
   * answer, or empty when it answers; for TLS engines, docker-java's own ping decides.
   */
  public static Optional<String> unreachable(Map<String, String> env) {
    if (env.containsKey("DOCKER_TLS_VERIFY") || env.containsKey("DOCKER_CERT_PATH")) {
      return Docker.unreachable(Docker.connect());
    }
    String host = env.getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
    SocketAddress address;
    try {
      URI uri = URI.create(host);
      address =
          switch (String.valueOf(uri.getScheme())) {
            case "unix" -> UnixDomainSocketAddress.of(uri.getPath());
            case "tcp" ->
                new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort());
            default -> null;
          };
    } catch (IllegalArgumentException e) {
      return Optional.of("DOCKER_HOST is not a URI: " + host);
    }
    if (address == null) {
      return Optional.of("unsupported DOCKER_HOST " + host);
    }
    CompletableFuture<Optional<String>> answer = new CompletableFuture<>();
    SocketAddress target = address;
    Thread.startVirtualThread(() -> answer.complete(ping(target, host)));
    try {
      return answer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return Optional.of(host + " did not answer within " + TIMEOUT.toSeconds() + "s");
    } catch (ExecutionException e) {
      return Optional.of(String.valueOf(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
  }

  private static Optional<String> ping(SocketAddress address, String host) {
    try (SocketChannel channel = SocketChannel.open(address)) {
      channel.write(
          ByteBuffer.wrap(
              "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
      ByteBuffer buffer = ByteBuffer.allocate(4096);
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
        // HTTP/1.0: the engine closes the connection after the answer
      }
      String response = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
      String statusLine = response.lines().findFirst().orElse("");
      if (statusLine.matches("HTTP/1\\.[01] 200.*")) {
        return Optional.empty();
      }
      return Optional.of(host + " answered " + statusLine);
    } catch (IOException e) {
      return Optional.of(host + ": " + e.getMessage());
    }
  }
}
