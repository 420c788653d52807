package ai.dstack.activities.local;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether a Docker engine answers at {@code DOCKER_HOST} (default the local socket), as the shim
 * checks it; tests that need one skip without it, unless {@code DSTACK_TEST_DOCKER=required}: then
 * {@code scripts/ensure-docker.sh} starts one, and they fail if that does not help.
 */
final class DockerEngineCheck {
  private DockerEngineCheck() {}

  static boolean required() {
    return "required".equals(System.getenv("DSTACK_TEST_DOCKER"));
  }

  static boolean answers() {
    var host = System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
    SocketAddress address;
    var uri = URI.create(host);
    if ("unix".equals(uri.getScheme())) {
      address = UnixDomainSocketAddress.of(uri.getPath());
    } else if ("tcp".equals(uri.getScheme())) {
      address = new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort());
    } else {
      return false;
    }
    try (var channel = SocketChannel.open(address)) {
      channel.write(
          ByteBuffer.wrap(
              "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
      var buffer = ByteBuffer.allocate(1024);
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
        // HTTP/1.0: the engine closes the connection after answering
      }
      var answer = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
      return answer.startsWith("HTTP/1.0 200") || answer.startsWith("HTTP/1.1 200");
    } catch (IOException e) {
      return false;
    }
  }

  /** Returns when an engine answers; skips the test, or fails it where one is required. */
  static void requireEngine() throws Exception {
    if (!answers() && required()) {
      var script =
          Path.of(System.getProperty("user.dir")).getParent().resolve("scripts/ensure-docker.sh");
      var process = new ProcessBuilder(script.toString()).inheritIO().start();
      process.waitFor(10, TimeUnit.MINUTES);
    }
    if (!answers()) {
      var why = "no Docker engine answers";
      if (required()) {
        fail(
            why + " although DSTACK_TEST_DOCKER=required; start one with scripts/ensure-docker.sh");
      }
      Assumptions.abort(why + "; set DSTACK_TEST_DOCKER=required to make this a failure");
    }
  }
}
