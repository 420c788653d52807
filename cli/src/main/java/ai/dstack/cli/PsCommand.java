package ai.dstack.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code dstack ps}: being written (a skeleton so the command tree compiles). */
@Command(name = "ps", mixinStandardHelpOptions = true, description = "(not written yet)")
final class PsCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new CliException("dstack ps is not written yet");
  }
}
