package ai.dstack.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.agents.runner.RunnerApi;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RunnerOptionsTest {
  @Test
  void defaultsToLoopbackOnDstacksRunnerPort() {
    var options = RunnerOptions.parse();

    assertEquals("127.0.0.1", options.host());
    assertEquals(10999, options.port());
    assertEquals(Path.of("/tmp/runner"), options.home());
    assertEquals(Duration.ofMinutes(5), options.startTimeout());
    assertEquals(Path.of(System.getProperty("user.dir")).toAbsolutePath(), options.workDir());
    assertFalse(options.standby());
    assertTrue(RunnerOptions.USAGE.contains("(default " + RunnerApi.DEFAULT_PORT + ")"));
  }

  @Test
  void readsFlagsWithSpacesOrEquals() {
    var options =
        RunnerOptions.parse("--host", "0.0.0.0", "--port=0", "--home", "/x", "--logs-timeout=7");

    assertEquals("0.0.0.0", options.host());
    assertEquals(0, options.port());
    assertEquals(Path.of("/x"), options.home());
    assertEquals(Duration.ofSeconds(7), options.logsTimeout());
  }

  @Test
  void aRunnerStartedAheadTakesItsWorkDirWithTheRestOfItsOptions() {
    assertTrue(RunnerOptions.parse("--standby").standby());
    var claimed = RunnerOptions.parse("--port", "0", "--home", "/x/runner", "--workdir", "/x");

    assertEquals(Path.of("/x"), claimed.workDir());
    assertEquals(Path.of("/x/runner"), claimed.home());
    assertTrue(RunnerOptions.USAGE.contains("--standby"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--port 70000|--port must be a number from 0 to 65535, not 70000",
        "--port|--port needs a value",
        "--bogus|unknown option --bogus",
        "--start-timeout 0|--start-timeout must be a positive number of seconds, not 0",
      })
  void saysWhatIsWrong(String args, String message) {
    var error =
        assertThrows(IllegalArgumentException.class, () -> RunnerOptions.parse(args.split(" ")));

    assertEquals(message, error.getMessage());
  }
}
