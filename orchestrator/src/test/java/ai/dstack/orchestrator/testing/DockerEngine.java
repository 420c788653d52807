package ai.dstack.orchestrator.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;

/** Whether a Docker engine answers, for the tests of docker mode. */
public final class DockerEngine {
  private DockerEngine() {}

  /**
   * Skips the calling test without an engine, or fails it when {@code DSTACK_TEST_DOCKER=required}
   * (the test command sets that after starting one).
   */
  public static void assume() {
    if (answers()) {
      return;
    }
    String why = "no Docker engine answers";
    if ("required".equals(System.getenv("DSTACK_TEST_DOCKER"))) {
      fail(why + " although DSTACK_TEST_DOCKER=required");
    }
    Assumptions.abort(why + "; scripts/ensure-docker.sh starts one");
  }

  /** Whether the engine at {@code DOCKER_HOST} (default the local socket) accepts a connection. */
  public static boolean answers() {
    var uri =
        URI.create(System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock"));
    if (!"unix".equals(uri.getScheme())) {
      return false;
    }
    try (var channel = SocketChannel.open(UnixDomainSocketAddress.of(uri.getPath()))) {
      channel.write(
          ByteBuffer.wrap(
              "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
      var buffer = ByteBuffer.allocate(1024);
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
        // HTTP/1.0: the engine closes the connection after answering
      }
      return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII)
          .matches("(?s)HTTP/1\\.[01] 200.*");
    } catch (IOException e) {
      return false;
    }
  }
}
