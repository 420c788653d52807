package ai.dstack.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code dstack gateway}: being written (a skeleton so the command tree compiles). */
@Command(name = "gateway", mixinStandardHelpOptions = true, description = "(not written yet)")
final class GatewayCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new CliException("dstack gateway is not written yet");
  }
}
