package ai.dstack.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code dstack event}: being written (a skeleton so the command tree compiles). */
@Command(name = "event", mixinStandardHelpOptions = true, description = "(not written yet)")
final class EventCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new CliException("dstack event is not written yet");
  }
}
