package ai.dstack.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code dstack completion}: being written (a skeleton so the command tree compiles). */
@Command(name = "completion", mixinStandardHelpOptions = true, description = "(not written yet)")
final class CompletionCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new CliException("dstack completion is not written yet");
  }
}
