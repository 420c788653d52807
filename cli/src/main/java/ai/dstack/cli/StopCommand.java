package ai.dstack.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code dstack stop}: being written (a skeleton so the command tree compiles). */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "(not written yet)")
final class StopCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new CliException("dstack stop is not written yet");
  }
}
