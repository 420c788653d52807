package ai.dstack.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code dstack apply}: being written (a skeleton so the command tree compiles). */
@Command(name = "apply", mixinStandardHelpOptions = true, description = "(not written yet)")
final class ApplyCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new CliException("dstack apply is not written yet");
  }
}
