package ai.dstack.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code dstack volume}: being written (a skeleton so the command tree compiles). */
@Command(name = "volume", mixinStandardHelpOptions = true, description = "(not written yet)")
final class VolumeCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new CliException("dstack volume is not written yet");
  }
}
