package ai.dstack.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code dstack secret}: being written (a skeleton so the command tree compiles). */
@Command(name = "secret", mixinStandardHelpOptions = true, description = "(not written yet)")
final class SecretCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new CliException("dstack secret is not written yet");
  }
}
