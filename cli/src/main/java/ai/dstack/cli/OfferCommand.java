package ai.dstack.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code dstack offer}: being written (a skeleton so the command tree compiles). */
@Command(name = "offer", mixinStandardHelpOptions = true, description = "(not written yet)")
final class OfferCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new CliException("dstack offer is not written yet");
  }
}
