package ai.dstack.shim.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.dockerjava.api.exception.InternalServerErrorException;
import org.junit.jupiter.api.Test;

class DockerMessagesTest {

  @Test
  void unwrapsDockersMessageFromDockerJavasStatusText() {
    var e =
        new InternalServerErrorException(
            "Status 500: {\"message\":\"Get \\\"https://registry-1.docker.io/v2/\\\": dial tcp:"
                + " lookup registry-1.docker.io: no such host\"}\n");
    assertEquals(
        "Get \"https://registry-1.docker.io/v2/\": dial tcp: lookup registry-1.docker.io: no such host",
        DockerTaskEngine.message(e));
  }
}
