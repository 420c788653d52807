package ai.dstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.cli.testing.Cli;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged CLI as a process: help, version, usage errors, nothing configured. */
class CliBasicsIT {
  @TempDir Path home;

  @Test
  void helpListsTheCommandsOnStdoutAndExitsZero() {
    var result = Cli.withHome(home).run("--help");
    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    for (String command : new String[] {"apply", "ps", "logs", "stop", "fleet", "secret"}) {
      assertTrue(result.out().contains("  " + command + " "), command + " in\n" + result);
    }
    assertEquals("", result.err());
  }

  @Test
  void anUnknownOptionIsAUsageErrorOnStderr() {
    var result = Cli.withHome(home).run("ps", "--no-such-option");
    assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
    assertEquals("", result.out());
    assertTrue(result.err().contains("Unknown option: '--no-such-option'"), result.toString());
    assertTrue(result.err().contains("See 'dstack ps --help'."), result.toString());
  }
}
