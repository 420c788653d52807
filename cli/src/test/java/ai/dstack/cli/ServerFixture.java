package ai.dstack.cli;

import ai.dstack.cli.testing.Cli;
import ai.dstack.sdk.testing.LocalServer;
import ai.dstack.sdk.testing.LocalServerExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a black-box test of a command starts from: the one real server of the JVM, and the CLI
 * configured for its project {@code main} with a home of its own per test.
 */
@ExtendWith(LocalServerExtension.class)
abstract class ServerFixture {
  static LocalServer server;

  @TempDir Path home;

  @BeforeAll
  static void takeServer(LocalServer localServer) {
    server = localServer;
  }

  /** The CLI, configured for the server's project. */
  Cli cli() {
    return Cli.configuredFor(server, home);
  }
}
