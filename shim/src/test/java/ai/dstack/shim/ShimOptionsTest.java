package ai.dstack.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShimOptionsTest {

  @Test
  void readsEveryOptionWithDefaultsForTheRest() throws Exception {
    ShimOptions options =
        ShimOptions.parse(
            List.of("--port", "0", "--home=/tmp/h", "--runner-jar", "/r.jar", "--mode", "process"));
    assertEquals("127.0.0.1", options.host());
    assertEquals(0, options.port());
    assertEquals(Path.of("/tmp/h"), options.home());
    assertEquals(Path.of("/r.jar"), options.runnerJar());
    assertEquals(ShimOptions.Mode.PROCESS, options.mode());
    assertEquals(10999, options.runnerPort());
    assertEquals(Path.of(System.getProperty("java.home")), options.javaHome());
    assertTrue(options.standbyRunner(), "a runner is started ahead unless told otherwise");
    assertFalse(
        ShimOptions.parse(List.of("--runner-jar", "/r.jar", "--standby-runner", "off"))
            .standbyRunner());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--port 99999 --runner-jar r.jar | --port must be a port number (0-65535), got 99999",
        "--mode vm --runner-jar r.jar    | --mode must be docker, process or auto, got vm",
        "--port 0                        | --runner-jar is required",
        "--runner-jar                    | --runner-jar needs a value",
        "--runner-jar r.jar --verbose x  | unknown option --verbose",
        "--runner-jar r.jar --standby-runner no | --standby-runner must be on or off, got no",
      })
  void explainsWhatIsWrongWithTheCommandLine(String args, String message) {
    var e =
        assertThrows(
            ShimOptions.UsageException.class, () -> ShimOptions.parse(List.of(args.split(" "))));
    assertEquals(message, e.getMessage());
  }
}
