package ai.dstack.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code dstack metrics}: being written (a skeleton so the command tree compiles). */
@Command(name = "metrics", mixinStandardHelpOptions = true, description = "(not written yet)")
final class MetricsCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new CliException("dstack metrics is not written yet");
  }
}
