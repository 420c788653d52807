package ai.dstack.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dstack completion bash|zsh}: prints a script that completes dstack's commands and options
 * in the shell; the same script serves zsh through its bash-completion emulation.
 */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Print a shell completion script.",
      "Load it in the current shell with: source <(dstack completion bash)",
      "or for every new shell, add that line to ~/.bashrc (~/.zshrc for zsh)."
    })
final class CompletionCommand implements Callable<Integer> {

  /** The shells the script is for. */
  enum Shell {
    bash,
    zsh
  }

  @Parameters(
      paramLabel = "SHELL",
      description = "The shell to complete in: ${COMPLETION-CANDIDATES}.")
  Shell shell;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    out.print(AutoComplete.bash("dstack", DstackCommand.commandLine()));
    out.flush();
    return ExitCodes.OK;
  }
}
