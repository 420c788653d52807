package ai.dstack.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class DstackServerTest {

  @Test
  void dstacksFlagsBecomeSettings() {
    DstackServer server = new DstackServer();
    new CommandLine(server)
        .parseArgs("--host", "0.0.0.0", "--port", "3001", "--token", "t0k", "-l", "warning", "-y");

    List<String> arguments = server.springArguments();

    assertTrue(arguments.contains("--dstack.server.host=0.0.0.0"), arguments.toString());
    assertTrue(arguments.contains("--dstack.server.port=3001"));
    assertTrue(arguments.contains("--dstack.server.admin.token=t0k"));
    assertTrue(arguments.contains("--logging.level.ai.dstack=WARN"));
    assertTrue(arguments.contains("--dstack.server.update-default-project=yes"));
  }

  @Test
  void debugIsLogLevelDebug() {
    DstackServer server = new DstackServer();
    new CommandLine(server).parseArgs("-d", "-p", "4000");

    assertTrue(server.springArguments().contains("--logging.level.ai.dstack=DEBUG"));
    assertTrue(server.springArguments().contains("--dstack.server.port=4000"));
  }

  @ParameterizedTest
  @CsvSource({"debug, DEBUG", "INFO, INFO", "Warning, WARN", "critical, ERROR", "error, ERROR"})
  void pythonLevelNamesMapToLogback(String given, String logback) {
    assertEquals(logback, DstackServer.logbackLevel(given));
  }

  @Test
  void anUnknownLevelIsAUsageError() {
    assertThrows(CommandLine.ParameterException.class, () -> DstackServer.logbackLevel("loud"));
  }
}
