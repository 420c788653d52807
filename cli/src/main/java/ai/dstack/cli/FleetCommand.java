package ai.dstack.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code dstack fleet}: being written (a skeleton so the command tree compiles). */
@Command(name = "fleet", mixinStandardHelpOptions = true, description = "(not written yet)")
final class FleetCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new CliException("dstack fleet is not written yet");
  }
}
