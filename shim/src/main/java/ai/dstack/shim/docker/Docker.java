package ai.dstack.shim.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.time.Duration;
import java.util.Optional;

/** Connects to the Docker engine named by {@code DOCKER_HOST}, else the local socket. */
public final class Docker {
  private Docker() {}

  /** A client; nothing is sent until the first command. */
  public static DockerClient connect() {
    DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .connectionTimeout(Duration.ofSeconds(5))
            .maxConnections(256)
            .build();
    return DockerClientImpl.getInstance(config, http);
  }

  /** Why the engine does not answer a ping, or empty when it does. */
  public static Optional<String> unreachable(DockerClient docker) {
    try {
      docker.pingCmd().exec();
      return Optional.empty();
    } catch (RuntimeException e) {
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      return Optional.of(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }
  }
}
