package ai.dstack.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code dstack delete}: being written (a skeleton so the command tree compiles). */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "(not written yet)")
final class DeleteCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new CliException("dstack delete is not written yet");
  }
}
