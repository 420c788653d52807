package ai.dstack.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code dstack server}: being written (a skeleton so the command tree compiles). */
@Command(name = "server", mixinStandardHelpOptions = true, description = "(not written yet)")
final class ServerCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new CliException("dstack server is not written yet");
  }
}
