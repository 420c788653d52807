package ai.dstack.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code dstack project}: being written (a skeleton so the command tree compiles). */
@Command(name = "project", mixinStandardHelpOptions = true, description = "(not written yet)")
final class ProjectCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new CliException("dstack project is not written yet");
  }
}
