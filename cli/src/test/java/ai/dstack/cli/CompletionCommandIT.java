package ai.dstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.cli.testing.Cli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code dstack completion}: a completion script bash accepts, which completes the commands. */
class CompletionCommandIT {
  @TempDir Path home;

  /** Runs {@code script} with bash; its stdout, or a failure with everything it printed. */
  private static String bash(String script) throws IOException, InterruptedException {
    var process = new ProcessBuilder("bash", "-c", script).redirectErrorStream(false).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), "bash -c " + script + "\n" + out + err);
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"bash", "zsh"})
  void printsAScriptBashAccepts(String shell) throws Exception {
    var result = Cli.withHome(home).run("completion", shell);

    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    Path script = home.resolve("dstack-completion.sh");
    Files.writeString(script, result.out());
    bash("bash -n " + script);
    assertTrue(result.out().contains("complete -F _complete_dstack"), "registers dstack");
    for (String command : new String[] {"apply", "ps", "fleet", "secret", "project", "server"}) {
      assertTrue(result.out().contains(command), command + " missing");
    }
  }

  @Test
  void theScriptCompletesSubcommands() throws Exception {
    var result = Cli.withHome(home).run("completion", "bash");
    Path script = home.resolve("dstack-completion.sh");
    Files.writeString(script, result.out());

    String completions =
        bash(
            "source "
                + script
                + "; COMP_WORDS=(dstack fle); COMP_CWORD=1; COMP_LINE='dstack fle';"
                + " COMP_POINT=10; _complete_dstack 2>/dev/null; echo \"${COMPREPLY[@]}\";"
                + " COMP_WORDS=(dstack secret ''); COMP_CWORD=2; COMP_LINE='dstack secret ';"
                + " COMP_POINT=14; _complete_dstack 2>/dev/null; echo \"${COMPREPLY[@]}\"");

    var lines = completions.lines().toList();
    assertEquals("fleet", lines.get(0).strip(), completions);
    for (String sub : new String[] {"list", "get", "set", "delete"}) {
      assertTrue(lines.get(1).contains(sub), sub + " not completed after secret: " + completions);
    }
  }

  @Test
  void anotherShellIsAUsageError() {
    var result = Cli.withHome(home).run("completion", "fish");

    assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
    assertTrue(result.err().contains("bash, zsh"), result.toString());
  }
}
