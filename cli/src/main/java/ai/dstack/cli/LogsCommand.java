package ai.dstack.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code dstack logs}: being written (a skeleton so the command tree compiles). */
@Command(name = "logs", mixinStandardHelpOptions = true, description = "(not written yet)")
final class LogsCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new CliException("dstack logs is not written yet");
  }
}
