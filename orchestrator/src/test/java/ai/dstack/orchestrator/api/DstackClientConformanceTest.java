package ai.dstack.orchestrator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.orchestrator.testing.DstackClient;
import ai.dstack.orchestrator.testing.Processes;
import ai.dstack.orchestrator.testing.ServerTest;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The users and projects API driven by dstack 0.22.5's own Python APIClient: each answer must
 * validate against its models (a missing field or unknown enum would be a traceback) and its typed
 * errors must come out. Run on SQLite and on PostgreSQL.
 */
abstract class DstackClientConformanceTest extends ServerTest {

  @Test
  void theRealClientDrivesUsersAndProjects() throws URISyntaxException {
    Path script =
        Path.of(getClass().getClassLoader().getResource("dstack_client_flows.py").toURI());

    Processes.Result result =
        DstackClient.python(script, "http://127.0.0.1:" + port, ADMIN, unique("c"));

    assertEquals(0, result.exitCode(), result.output());
    assertTrue(result.output().strip().endsWith("OK"), result.output());
  }
}
